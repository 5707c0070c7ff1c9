using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kazan.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class UniqueNamesOfPipelinesAndLostReasons : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            // Names written before the index could repeat in an organization: the later ones are kept, renamed
            // "Name (2)", "Name (3)"… (nothing is merged: deals keep their pipeline, lost deals their reason).
            foreach (var table in new[] { "Pipelines", "LostReasons" })
            {
                migrationBuilder.Sql($"""
                    UPDATE "{table}" SET "Name" = "{table}"."Name" || ' (' || d.rn || ')'
                    FROM (SELECT "Id", ROW_NUMBER() OVER (PARTITION BY "OrganizationId", "Name" ORDER BY "Id") AS rn FROM "{table}") AS d
                    WHERE "{table}"."Id" = d."Id" AND d.rn > 1;
                    """);
            }

            migrationBuilder.DropIndex(
                name: "IX_Pipelines_OrganizationId_Name",
                table: "Pipelines");

            migrationBuilder.CreateIndex(
                name: "IX_Pipelines_OrganizationId_Name",
                table: "Pipelines",
                columns: new[] { "OrganizationId", "Name" },
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_LostReasons_OrganizationId_Name",
                table: "LostReasons",
                columns: new[] { "OrganizationId", "Name" },
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Pipelines_OrganizationId_Name",
                table: "Pipelines");

            migrationBuilder.DropIndex(
                name: "IX_LostReasons_OrganizationId_Name",
                table: "LostReasons");

            migrationBuilder.CreateIndex(
                name: "IX_Pipelines_OrganizationId_Name",
                table: "Pipelines",
                columns: new[] { "OrganizationId", "Name" });
        }
    }
}
