using System.Collections.Concurrent;
using System.ComponentModel.DataAnnotations;
using System.Globalization;
using System.Reflection;
using Microsoft.Extensions.Localization;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Validation;

// Microsoft.Extensions.Validation's resolver types are marked experimental (ASP0029) in .NET 10; they are the only hook
// to put the caller's language into DataAnnotations messages until .NET 11's validation localization.
#pragma warning disable ASP0029

namespace Kazan.Infrastructure.Localization;

/// <summary>
/// The API's request validation (DataAnnotations, run by <c>AddValidation</c>) in the caller's language. .NET 10 writes
/// the attributes' built-in English messages; this wraps the validation resolvers so that, for a non-English request
/// culture, each attribute is a copy carrying the resource template <c>Validation.{Attribute}</c> (same placeholders as
/// the attribute's own message: {0} the field, then its limits). English requests keep the framework's messages.
/// Attributes with a message of their own are left as they are.
/// </summary>
public static class ValidationLocalization
{
    public static IServiceCollection AddKazanValidation(this IServiceCollection services)
    {
        services.AddValidation();
        services.AddSingleton<IPostConfigureOptions<ValidationOptions>, WrapResolvers>();
        return services;
    }

    private sealed class WrapResolvers(IStringLocalizerFactory factory) : IPostConfigureOptions<ValidationOptions>
    {
        public void PostConfigure(string? name, ValidationOptions options)
        {
            var localizer = factory.Create(typeof(SharedResource));
            for (var i = 0; i < options.Resolvers.Count; i++)
            {
                if (options.Resolvers[i] is not LocalizingResolver)
                {
                    options.Resolvers[i] = new LocalizingResolver(options.Resolvers[i], localizer);
                }
            }
        }
    }

    /// <summary>
    /// Hands out, per UI culture, copies of the generated infos whose attributes carry that culture's messages. One set
    /// per culture because the framework caches an info's Required attribute on first use. Parameter infos are taken
    /// once, when endpoints are built, so theirs choose the culture's copy on each call.
    /// </summary>
    private sealed class LocalizingResolver(IValidatableInfoResolver inner, IStringLocalizer localizer) : IValidatableInfoResolver
    {
        private readonly ConcurrentDictionary<(Type, string), IValidatableInfo> _types = new();

        public bool TryGetValidatableTypeInfo(Type type, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IValidatableInfo? validatableInfo)
        {
            if (!inner.TryGetValidatableTypeInfo(type, out var found))
            {
                validatableInfo = null;
                return false;
            }

            var culture = CultureKey();
            validatableInfo = found is ValidatableTypeInfo typeInfo && culture is not null
                ? _types.GetOrAdd((type, culture), _ => new LocalizedType(typeInfo, localizer))
                : found;
            return true;
        }

        public bool TryGetValidatableParameterInfo(ParameterInfo parameterInfo, [System.Diagnostics.CodeAnalysis.NotNullWhen(true)] out IValidatableInfo? validatableInfo)
        {
            if (!inner.TryGetValidatableParameterInfo(parameterInfo, out var found))
            {
                validatableInfo = null;
                return false;
            }

            validatableInfo = found is ValidatableParameterInfo parameter ? new CultureSwitch(found, () => new LocalizedParameter(parameter, localizer)) : found;
            return true;
        }
    }

    /// <summary>The current UI culture when its messages are localized here; null for English (the framework's own).</summary>
    private static string? CultureKey() =>
        CultureInfo.CurrentUICulture is { TwoLetterISOLanguageName: not "en" } culture ? culture.Name : null;

    /// <summary>Validates with the original info in English and with the current culture's localized copy otherwise.</summary>
    private sealed class CultureSwitch(IValidatableInfo original, Func<IValidatableInfo> localized) : IValidatableInfo
    {
        private readonly ConcurrentDictionary<string, IValidatableInfo> _byCulture = new(StringComparer.Ordinal);

        public Task ValidateAsync(object? value, ValidateContext context, CancellationToken cancellationToken) =>
            (CultureKey() is { } culture ? _byCulture.GetOrAdd(culture, _ => localized()) : original).ValidateAsync(value, context, cancellationToken);
    }

    private sealed class LocalizedType(ValidatableTypeInfo inner, IStringLocalizer localizer)
        : ValidatableTypeInfo(Read<Type>(inner, "Type"), Read<IReadOnlyList<ValidatablePropertyInfo>>(inner, "Members")
            .Select(m => (ValidatablePropertyInfo)new LocalizedProperty(m, localizer)).ToList())
    {
        private readonly ValidationAttribute[] _attributes = Localized(Protected<ValidatableTypeInfo>(inner), localizer);

        protected override ValidationAttribute[] GetValidationAttributes() => _attributes;
    }

    private sealed class LocalizedProperty(ValidatablePropertyInfo inner, IStringLocalizer localizer)
        : ValidatablePropertyInfo(Read<Type>(inner, "DeclaringType"), Read<Type>(inner, "PropertyType"), Read<string>(inner, "Name"), Read<string>(inner, "DisplayName"))
    {
        private readonly ValidationAttribute[] _attributes = Localized(Protected<ValidatablePropertyInfo>(inner), localizer);

        protected override ValidationAttribute[] GetValidationAttributes() => _attributes;
    }

    private sealed class LocalizedParameter(ValidatableParameterInfo inner, IStringLocalizer localizer)
        : ValidatableParameterInfo(Read<Type>(inner, "ParameterType"), Read<string>(inner, "Name"), Read<string>(inner, "DisplayName"))
    {
        private readonly ValidationAttribute[] _attributes = Localized(Protected<ValidatableParameterInfo>(inner), localizer);

        protected override ValidationAttribute[] GetValidationAttributes() => _attributes;
    }

    /// <summary>A property of the generated info (the members and names are not public in .NET 10).</summary>
    private static T Read<T>(object info, string property) =>
        (T)info.GetType().GetProperty(property, BindingFlags.Instance | BindingFlags.Public | BindingFlags.NonPublic)!.GetValue(info)!;

    /// <summary>The generated info's own attributes (a protected member, read once per info).</summary>
    private static ValidationAttribute[] Protected<T>(T info) where T : class =>
        (ValidationAttribute[])typeof(T).GetMethod("GetValidationAttributes", BindingFlags.Instance | BindingFlags.NonPublic)!.Invoke(info, null)!;

    /// <summary>The attributes as copies carrying the current culture's templates (built once per info and culture).</summary>
    private static ValidationAttribute[] Localized(ValidationAttribute[] attributes, IStringLocalizer localizer) =>
        attributes.Select(a => Localized(a, localizer)).ToArray();

    private static readonly MethodInfo Clone = typeof(object).GetMethod("MemberwiseClone", BindingFlags.Instance | BindingFlags.NonPublic)!;

    /// <summary>The message written for an attribute, if any (its ErrorMessage property also reads back built-in defaults).</summary>
    private static readonly FieldInfo CustomMessage =
        typeof(ValidationAttribute).GetField("_errorMessage", BindingFlags.Instance | BindingFlags.NonPublic)!;

    /// <summary>A copy of the attribute with the localized template, or the attribute itself when it has a message of its own or no template exists.</summary>
    private static ValidationAttribute Localized(ValidationAttribute attribute, IStringLocalizer localizer)
    {
        if (CustomMessage.GetValue(attribute) is not null || attribute.ErrorMessageResourceName is not null)
        {
            return attribute;
        }

        var name = attribute.GetType().Name;
        name = name.EndsWith("Attribute", StringComparison.Ordinal) ? name[..^"Attribute".Length] : name;
        if (attribute is StringLengthAttribute { MinimumLength: > 0 })
        {
            name += "Range";
        }

        var template = localizer["Validation." + name];
        if (template.ResourceNotFound)
        {
            return attribute;
        }

        var copy = (ValidationAttribute)Clone.Invoke(attribute, null)!;
        copy.ErrorMessage = template.Value;
        return copy;
    }
}
