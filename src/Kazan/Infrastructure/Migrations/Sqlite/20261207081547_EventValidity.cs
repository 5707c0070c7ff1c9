using Kazan.Features.Opportunities;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kazan.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class EventValidity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<long>(
                name: "Until",
                table: "OpportunityEvents",
                type: "INTEGER",
                nullable: true);

            // Existing history gets its spans, then the database keeps them for every new event.
            migrationBuilder.Sql(Features.Opportunities.EventValidity.Recompute(postgres: false));
            migrationBuilder.Sql(Features.Opportunities.EventValidity.Trigger(postgres: false));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Features.Opportunities.EventValidity.DropTrigger(postgres: false));

            migrationBuilder.DropColumn(
                name: "Until",
                table: "OpportunityEvents");
        }
    }
}
