using Kazan.Infrastructure.Errors;
using Kazan.Infrastructure.Localization;
using Microsoft.Extensions.Localization;

namespace Kazan.Features.Orders;

/// <summary>What the order pages' forms share: quantities as the user reads them and the user's text for a broken rule.</summary>
public static class OrderForms
{
    /// <summary>A quantity as the user reads it (their culture, grouped, up to four decimals).</summary>
    public static string Quantity(decimal value) => NumberText.Format(value, NumberRule.Quantity);

    /// <summary>The translated rule text: the line it is about and the numbers it names travel with the rule (<see cref="RuleMessages"/>).</summary>
    public static string Message(IStringLocalizer localizer, DomainRuleException rule) => RuleMessages.For(localizer, rule);
}

/// <summary>
/// The header fields of an order as a form posts them (see <see cref="OrderDetailsFields"/>): the dates as typed, read
/// with the user's language when the form is saved.
/// </summary>
public sealed class OrderDetailsInput
{
    public string? OrderDate { get; set; }
    public string? CustomerReference { get; set; }
    public string? RequestedDeliveryDate { get; set; }
    public string? DeliveryAddress { get; set; }
    public string? Notes { get; set; }

    public static OrderDetailsInput From(Order order) => new()
    {
        OrderDate = DateText.Format(order.OrderDate),
        CustomerReference = order.CustomerReference,
        RequestedDeliveryDate = DateText.Format(order.RequestedDeliveryDate),
        DeliveryAddress = order.DeliveryAddress,
        Notes = order.Notes,
    };

    /// <summary>The order's details as they are (for a form that changes something else).</summary>
    public static OrderDetails Of(Order order) =>
        new(order.OrderDate, order.CustomerReference, order.RequestedDeliveryDate, order.DeliveryAddress, order.Notes);

    /// <summary>The details with the typed dates read; a date that does not read leaves its message in <paramref name="typed"/>.</summary>
    public OrderDetails ToDetails(TypedInput typed, string prefix) => new(
        typed.Date(prefix + ".OrderDate", OrderDate), CustomerReference, typed.Date(prefix + ".RequestedDeliveryDate", RequestedDeliveryDate),
        DeliveryAddress, Notes);
}
