using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kazan.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class EventPipelineIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Not in the model: EF Core cannot index a complex type's columns (the event's State).
            migrationBuilder.CreateIndex(
                name: Features.Opportunities.OpportunityEventConfiguration.OpenByPipelineIndex,
                table: "OpportunityEvents",
                columns: Features.Opportunities.OpportunityEventConfiguration.OpenByPipelineColumns);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: Features.Opportunities.OpportunityEventConfiguration.OpenByPipelineIndex,
                table: "OpportunityEvents");
        }
    }
}
