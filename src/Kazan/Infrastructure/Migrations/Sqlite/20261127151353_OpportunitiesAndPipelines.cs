using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kazan.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OpportunitiesAndPipelines : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "SavedFilters",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.AddColumn<int>(
                name: "Version",
                table: "LostReasons",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateIndex(
                name: "IX_Opportunities_OrganizationId_CreatedAt_Id",
                table: "Opportunities",
                columns: new[] { "OrganizationId", "CreatedAt", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Opportunities_OrganizationId_ForecastAmountBase_Id",
                table: "Opportunities",
                columns: new[] { "OrganizationId", "ForecastAmountBase", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Opportunities_OrganizationId_PipelineId_Status_StageId",
                table: "Opportunities",
                columns: new[] { "OrganizationId", "PipelineId", "Status", "StageId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Opportunities_OrganizationId_CreatedAt_Id",
                table: "Opportunities");

            migrationBuilder.DropIndex(
                name: "IX_Opportunities_OrganizationId_ForecastAmountBase_Id",
                table: "Opportunities");

            migrationBuilder.DropIndex(
                name: "IX_Opportunities_OrganizationId_PipelineId_Status_StageId",
                table: "Opportunities");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "SavedFilters");

            migrationBuilder.DropColumn(
                name: "Version",
                table: "LostReasons");
        }
    }
}
