namespace Kazan;

/// <summary>Marker for the shared UI strings in Resources/SharedResource(.tr).resx.</summary>
public sealed class SharedResource;
