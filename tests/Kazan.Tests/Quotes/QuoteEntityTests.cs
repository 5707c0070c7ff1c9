using CsCheck;
using Kazan.Features.Quotes;
using Kazan.Infrastructure.Errors;

namespace Kazan.Tests.Quotes;

/// <summary>The quote's own rules, without HTTP or a database: drafts, sending, expiry by the day, revision and the money.</summary>
public sealed class QuoteEntityTests
{
    private static readonly DateOnly Day = new(2026, 3, 10);
    private static readonly DateTimeOffset Now = new(2026, 3, 10, 9, 0, 0, TimeSpan.Zero);

    private static Quote Draft(DateOnly validUntil, params (decimal Quantity, decimal Price, decimal Discount, decimal Vat)[] lines)
    {
        var quote = new Quote(Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid(), "TKL-2026-00001", 2026, 1, "TRY", 1m, "tr", Day, validUntil, Now);
        quote.SetLines(lines.Select((l, i) => new QuoteLineInput(null, QuoteLineKind.Item, null, $"Kalem {i + 1}", l.Quantity, "adet", l.Price, l.Discount, l.Vat)).ToList());
        return quote;
    }

    private static Quote Sent(DateOnly validUntil)
    {
        var quote = Draft(validUntil, (1m, 100m, 0m, 20m));
        quote.Send(Now, Day, 1m);
        return quote;
    }

    [Fact]
    public void A_sent_quote_is_valid_through_its_last_day_and_expired_the_day_after()
    {
        var quote = Sent(Day.AddDays(2));
        Assert.Equal(QuoteStatus.Sent, quote.StatusOn(Day.AddDays(2)));
        Assert.Equal(QuoteStatus.Expired, quote.StatusOn(Day.AddDays(3)));
        Assert.Equal("quote.expired", Assert.Throws<DomainRuleException>(() => quote.Accept(Now, Day.AddDays(3))).Code);
        quote.Accept(Now, Day.AddDays(2));
        Assert.Equal(QuoteStatus.Accepted, quote.StatusOn(Day.AddDays(30)));
    }

    [Fact]
    public void Sending_fixes_the_rate_by_the_one_rule_with_its_upper_limit()
    {
        var quote = Draft(Day.AddDays(30), (1m, 100m, 0m, 20m));
        Assert.Equal("quote.exchange-rate", Assert.Throws<DomainRuleException>(() => quote.Send(Now, Day, 1_000_001m)).Code);
        Assert.Equal("quote.exchange-rate", Assert.Throws<DomainRuleException>(() => quote.Send(Now, Day, 0m)).Code);
        Assert.Equal(QuoteStatus.Draft, quote.Status);
        quote.Send(Now, Day, 36.123456m);
        Assert.Equal((QuoteStatus.Sent, 36.1235m), (quote.Status, quote.Currency.Rate));
    }

    [Fact]
    public void An_empty_or_outdated_draft_cannot_be_sent_and_a_sent_one_cannot_be_edited()
    {
        var empty = Draft(Day.AddDays(30));
        Assert.Equal("quote.empty", Assert.Throws<DomainRuleException>(() => empty.Send(Now, Day, 1m)).Code);
        var outdated = Draft(Day, (1m, 10m, 0m, 20m));
        Assert.Equal("quote.valid-until", Assert.Throws<DomainRuleException>(() => outdated.Send(Now, Day.AddDays(1), 1m)).Code);

        var sent = Sent(Day.AddDays(30));
        Assert.Equal("quote.not-draft", Assert.Throws<DomainRuleException>(() => sent.SetLines([])).Code);
    }

    [Fact]
    public void An_expired_quote_revised_today_gets_a_new_validity_of_the_same_length_and_the_old_one_is_superseded()
    {
        var quote = Sent(Day.AddDays(5));
        var today = Day.AddDays(20);

        var revision = quote.Revise(1, Guid.NewGuid(), Now, today);

        Assert.Equal((QuoteStatus.Superseded, QuoteStatus.Draft), (quote.Status, revision.Status));
        Assert.Equal((today, today.AddDays(5)), (revision.IssueDate, revision.ValidUntil));
        Assert.Equal((quote.Number, 1, quote.NetTotal), (revision.Number, revision.Revision, revision.NetTotal));
    }

    /// <summary>Whatever the lines and discounts, the stored totals are the sums of the rounded line figures.</summary>
    [Fact]
    public void The_totals_are_the_sums_of_the_rounded_lines()
    {
        var genLine =
            from qty in Gen.Int[1, 1_000_000].Select(i => i / 1000m)
            from price in Gen.Long[0, 100_000_000].Select(i => i / 10_000m)
            from discount in Gen.Int[0, 10_000].Select(i => i / 100m)
            from vat in Gen.OneOf(Gen.Const(0m), Gen.Const(1m), Gen.Const(10m), Gen.Const(20m))
            select (qty, price, discount, vat);
        Gen.Select(genLine.Array[1, 20], Gen.Int[0, 10_000].Select(i => i / 100m)).Sample((lines, documentDiscount) =>
        {
            var quote = Draft(Day.AddDays(30), lines);
            quote.SetTerms("TRY", 1m, "tr", documentDiscount, Day.AddDays(30), null, null);

            Assert.Equal(quote.Lines.Sum(l => l.NetAmount), quote.NetTotal);
            Assert.Equal(quote.Lines.Sum(l => l.VatAmount), quote.VatTotal);
            Assert.Equal(quote.NetTotal + quote.VatTotal, quote.GrandTotal);
            Assert.Equal(quote.GrossTotal - quote.DiscountTotal, quote.NetTotal);
            Assert.All(quote.Lines, l => Assert.Equal(decimal.Round(l.NetAmount, 2), l.NetAmount));
        });
    }
}
