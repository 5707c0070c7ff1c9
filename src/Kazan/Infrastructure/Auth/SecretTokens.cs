using System.Security.Cryptography;
using System.Text;

namespace Kazan.Infrastructure.Auth;

/// <summary>Random bearer secrets (API tokens, invitation links) and the hash stored in their place.</summary>
public static class SecretTokens
{
    public static string New(string prefix) =>
        prefix + Convert.ToBase64String(RandomNumberGenerator.GetBytes(32)).TrimEnd('=').Replace('+', '-').Replace('/', '_');

    /// <summary>SHA-256 is enough here: the secrets carry 256 random bits, so there is nothing to brute-force.</summary>
    public static string Hash(string secret) => Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(secret)));
}
