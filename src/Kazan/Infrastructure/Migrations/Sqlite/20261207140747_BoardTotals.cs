using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kazan.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class BoardTotals : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "BoardTotals",
                columns: table => new
                {
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    PipelineId = table.Column<Guid>(type: "TEXT", nullable: false),
                    StageId = table.Column<Guid>(type: "TEXT", nullable: false),
                    OwnerId = table.Column<Guid>(type: "TEXT", nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false),
                    Total = table.Column<long>(type: "INTEGER", precision: 28, scale: 4, nullable: false),
                    WeightedTotal = table.Column<long>(type: "INTEGER", precision: 28, scale: 4, nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_BoardTotals", x => new { x.OrganizationId, x.PipelineId, x.StageId, x.OwnerId });
                    table.ForeignKey(
                        name: "FK_BoardTotals_Stages_StageId",
                        column: x => x.StageId,
                        principalTable: "Stages",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_BoardTotals_StageId",
                table: "BoardTotals",
                column: "StageId");

            // The open deals as they stand, once (SQLite stores amounts as scaled integers: the sums are exact).
            migrationBuilder.Sql("""
                INSERT INTO "BoardTotals" ("OrganizationId", "PipelineId", "StageId", "OwnerId", "Count", "Total", "WeightedTotal")
                SELECT "OrganizationId", "PipelineId", "StageId", "OwnerId", COUNT(*), SUM("ForecastAmountBase"), SUM("WeightedAmountBase")
                FROM "Opportunities" WHERE "Status" = 'Open'
                GROUP BY "OrganizationId", "PipelineId", "StageId", "OwnerId"
                """);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "BoardTotals");
        }
    }
}
