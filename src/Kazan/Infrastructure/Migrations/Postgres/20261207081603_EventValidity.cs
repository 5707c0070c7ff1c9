using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kazan.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class EventValidity : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<DateTimeOffset>(
                name: "Until",
                table: "OpportunityEvents",
                type: "timestamp with time zone",
                nullable: true);

            // Existing history gets its spans, then the database keeps them for every new event.
            migrationBuilder.Sql(Features.Opportunities.EventValidity.Recompute(postgres: true));
            migrationBuilder.Sql(Features.Opportunities.EventValidity.Trigger(postgres: true));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Features.Opportunities.EventValidity.DropTrigger(postgres: true));

            migrationBuilder.DropColumn(
                name: "Until",
                table: "OpportunityEvents");
        }
    }
}
