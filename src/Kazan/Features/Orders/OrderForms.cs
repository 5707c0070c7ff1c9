using System.Globalization;
using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Localization;
using Microsoft.Extensions.Localization;

namespace Kazan.Features.Orders;

/// <summary>What the order pages' forms share: reading typed numbers and the user's text for a broken rule.</summary>
public static class OrderForms
{
    /// <summary>
    /// A number typed in a form field. Number inputs always post the invariant form (<c>2.5</c>), whatever the user's
    /// language, so the server never guesses between "1.234" as a thousand and as a fraction. Empty reads as null.
    /// </summary>
    public static bool TryNumber(string? text, out decimal? value)
    {
        value = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return true;
        }

        if (decimal.TryParse(text.Trim(), NumberStyles.Number & ~NumberStyles.AllowThousands, CultureInfo.InvariantCulture, out var parsed))
        {
            value = parsed;
            return true;
        }

        return false;
    }

    /// <summary>A number as a form field carries it (invariant, without trailing zeros).</summary>
    public static string Field(decimal value, string format = "0.####") => value.ToString(format, CultureInfo.InvariantCulture);

    /// <summary>A quantity as the user reads it (their culture, up to four decimals).</summary>
    public static string Quantity(decimal value) => value.ToString("0.####", CultureInfo.CurrentCulture);

    /// <summary>The translated rule text: the line it is about and the numbers it names travel with the rule (<see cref="RuleMessages"/>).</summary>
    public static string Message(IStringLocalizer localizer, DomainRuleException rule) => RuleMessages.For(localizer, rule);
}

/// <summary>The header fields of an order as a form posts them (see <see cref="OrderDetailsFields"/>).</summary>
public sealed class OrderDetailsInput
{
    public DateOnly? OrderDate { get; set; }
    public string? CustomerReference { get; set; }
    public DateOnly? RequestedDeliveryDate { get; set; }
    public string? DeliveryAddress { get; set; }
    public string? Notes { get; set; }

    public static OrderDetailsInput From(Order order) => new()
    {
        OrderDate = order.OrderDate,
        CustomerReference = order.CustomerReference,
        RequestedDeliveryDate = order.RequestedDeliveryDate,
        DeliveryAddress = order.DeliveryAddress,
        Notes = order.Notes,
    };

    public OrderDetails ToDetails() => new(OrderDate, CustomerReference, RequestedDeliveryDate, DeliveryAddress, Notes);
}
