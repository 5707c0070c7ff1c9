using Kazan.Infrastructure.Data;
using Microsoft.AspNetCore.Identity;

namespace Kazan.Features.Users;

/// <summary>
/// The way back in when nobody can sign in and no mail is set up (the only admin forgot the password):
/// <c>dotnet run --project src/Kazan -- --password-reset-link admin@example.com</c> prints a one-time link (24 hours)
/// and exits. Only someone with access to the server and its database can run it.
/// </summary>
public static class PasswordResetCommandLine
{
    public const string Option = "--password-reset-link";

    /// <summary>Returns true when the option was given (the link was printed or the error explained): the app then stops.</summary>
    public static async Task<bool> TryRunAsync(IServiceProvider services, string[] args)
    {
        var at = Array.IndexOf(args, Option);
        if (at < 0)
        {
            return false;
        }

        var email = at + 1 < args.Length ? args[at + 1] : "";
        await using var scope = services.CreateAsyncScope();
        var users = scope.ServiceProvider.GetRequiredService<UserManager<User>>();
        if (await users.FindByEmailAsync(email) is not { IsActive: true } user)
        {
            await Console.Error.WriteLineAsync($"No active user with the e-mail '{email}'.");
            Environment.ExitCode = 1;
            return true;
        }

        var db = scope.ServiceProvider.GetRequiredService<KazanDbContext>();
        var clock = scope.ServiceProvider.GetRequiredService<TimeProvider>();
        var (reset, token) = await PasswordCommands.IssueAsync(db, user, createdBy: user.Id, clock.GetUtcNow(), CancellationToken.None);
        var publicUrl = scope.ServiceProvider.GetRequiredService<IConfiguration>()["Kazan:PublicUrl"];
        var path = UserMails.ResetPath(token);
        Console.WriteLine();
        Console.WriteLine($"  Password reset link for {user.Email} (one use, valid until {reset.ExpiresAt:u}):");
        Console.WriteLine(string.IsNullOrWhiteSpace(publicUrl) ? $"  <your Kazan address>{path}" : $"  {publicUrl.TrimEnd('/')}{path}");
        Console.WriteLine();
        return true;
    }
}
