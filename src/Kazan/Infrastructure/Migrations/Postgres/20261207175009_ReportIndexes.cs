using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kazan.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ReportIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Opportunities_OrganizationId_Status_ExpectedCloseDate_Id",
                table: "Opportunities");

            migrationBuilder.CreateIndex(
                name: "IX_Opportunities_Status_ClosedOn",
                table: "Opportunities",
                columns: new[] { "OrganizationId", "Status", "ClosedOn", "OwnerId", "ForecastAmountBase" });

            migrationBuilder.CreateIndex(
                name: "IX_Opportunities_Status_ExpectedCloseDate",
                table: "Opportunities",
                columns: new[] { "OrganizationId", "Status", "ExpectedCloseDate", "Id", "OwnerId", "StageId", "ForecastCategory", "ForecastAmountBase", "WeightedAmountBase" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Opportunities_Status_ClosedOn",
                table: "Opportunities");

            migrationBuilder.DropIndex(
                name: "IX_Opportunities_Status_ExpectedCloseDate",
                table: "Opportunities");

            migrationBuilder.CreateIndex(
                name: "IX_Opportunities_OrganizationId_Status_ExpectedCloseDate_Id",
                table: "Opportunities",
                columns: new[] { "OrganizationId", "Status", "ExpectedCloseDate", "Id" });
        }
    }
}
