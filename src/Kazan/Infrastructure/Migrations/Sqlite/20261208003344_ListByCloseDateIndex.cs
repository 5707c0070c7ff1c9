using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kazan.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class ListByCloseDateIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Opportunities_OrganizationId_ExpectedCloseDate_Id",
                table: "Opportunities",
                columns: new[] { "OrganizationId", "ExpectedCloseDate", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Opportunities_OrganizationId_ExpectedCloseDate_Id",
                table: "Opportunities");
        }
    }
}
