namespace Kazan.Components;

/// <summary>The colour family of a StatusBadge: each feature maps its statuses onto these.</summary>
public enum StatusTone
{
    /// <summary>Being written, not yet out (a draft).</summary>
    Neutral,

    /// <summary>Open, waiting on someone.</summary>
    Info,

    /// <summary>Under way (partly delivered).</summary>
    Progress,

    /// <summary>A good end (won, accepted, delivered).</summary>
    Ok,

    /// <summary>Needs attention.</summary>
    Warn,

    /// <summary>A bad end (lost, rejected, expired).</summary>
    Danger,

    /// <summary>No longer relevant (superseded, withdrawn, cancelled).</summary>
    Muted,
}
