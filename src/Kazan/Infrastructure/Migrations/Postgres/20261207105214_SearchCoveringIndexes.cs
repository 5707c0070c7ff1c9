using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kazan.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class SearchCoveringIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_SearchEntries_OrganizationId_OwnerId_Term",
                table: "SearchEntries");

            migrationBuilder.DropIndex(
                name: "IX_SearchEntries_OrganizationId_Term",
                table: "SearchEntries");

            migrationBuilder.CreateIndex(
                name: "IX_SearchEntries_OrganizationId_OwnerId_Term_EntityId",
                table: "SearchEntries",
                columns: new[] { "OrganizationId", "OwnerId", "Term", "EntityId", "EntityType" });

            migrationBuilder.CreateIndex(
                name: "IX_SearchEntries_OrganizationId_Term_EntityId",
                table: "SearchEntries",
                columns: new[] { "OrganizationId", "Term", "EntityId", "EntityType", "OwnerId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_SearchEntries_OrganizationId_OwnerId_Term_EntityId",
                table: "SearchEntries");

            migrationBuilder.DropIndex(
                name: "IX_SearchEntries_OrganizationId_Term_EntityId",
                table: "SearchEntries");

            migrationBuilder.CreateIndex(
                name: "IX_SearchEntries_OrganizationId_OwnerId_Term",
                table: "SearchEntries",
                columns: new[] { "OrganizationId", "OwnerId", "Term" });

            migrationBuilder.CreateIndex(
                name: "IX_SearchEntries_OrganizationId_Term",
                table: "SearchEntries",
                columns: new[] { "OrganizationId", "Term" });
        }
    }
}
