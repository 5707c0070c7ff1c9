using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kazan.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class UniqueNamesOfPipelinesAndLostReasons : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
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
