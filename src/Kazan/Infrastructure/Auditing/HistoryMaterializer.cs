using Kazan.Infrastructure.Tenancy;
using Microsoft.EntityFrameworkCore.Diagnostics;

namespace Kazan.Infrastructure.Auditing;

/// <summary>
/// Tells an aggregate that keeps history the state it was read in, so that at save time it knows what a change moved
/// (see <see cref="IRecordsHistory.Loaded"/>), whichever verb or feature made the change. EF Core keys its internal
/// services (and the model) on materialization interceptors, so there is one instance for the whole process.
/// </summary>
public sealed class HistoryMaterializer : IMaterializationInterceptor
{
    public static readonly HistoryMaterializer Instance = new();

    private HistoryMaterializer()
    {
    }

    public object InitializedInstance(MaterializationInterceptionData materializationData, object entity)
    {
        if (entity is IRecordsHistory history)
        {
            history.Loaded();
        }

        return entity;
    }
}
