using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kazan.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DealHistoryState : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ForecastCategory",
                table: "Stages",
                type: "character varying(10)",
                maxLength: 10,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<DateOnly>(
                name: "ClosedOn",
                table: "OpportunityEvents",
                type: "date",
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "DeliveredAmount",
                table: "OpportunityEvents",
                type: "numeric(18,4)",
                precision: 18,
                scale: 4,
                nullable: true);

            migrationBuilder.AddColumn<decimal>(
                name: "ExchangeRate",
                table: "OpportunityEvents",
                type: "numeric(18,4)",
                precision: 18,
                scale: 4,
                nullable: false,
                defaultValue: 1m);

            migrationBuilder.AddColumn<decimal>(
                name: "ExpectedAmount",
                table: "OpportunityEvents",
                type: "numeric(18,4)",
                precision: 18,
                scale: 4,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<DateOnly>(
                name: "ExpectedCloseDate",
                table: "OpportunityEvents",
                type: "date",
                nullable: false,
                defaultValue: new DateOnly(1, 1, 1));

            migrationBuilder.AddColumn<decimal>(
                name: "ForecastAmountBase",
                table: "OpportunityEvents",
                type: "numeric(18,4)",
                precision: 18,
                scale: 4,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<string>(
                name: "ForecastCategory",
                table: "OpportunityEvents",
                type: "character varying(10)",
                maxLength: 10,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<decimal>(
                name: "OrderedAmount",
                table: "OpportunityEvents",
                type: "numeric(18,4)",
                precision: 18,
                scale: 4,
                nullable: true);

            migrationBuilder.AddColumn<Guid>(
                name: "OwnerId",
                table: "OpportunityEvents",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<Guid>(
                name: "PipelineId",
                table: "OpportunityEvents",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<decimal>(
                name: "QuotedAmount",
                table: "OpportunityEvents",
                type: "numeric(18,4)",
                precision: 18,
                scale: 4,
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "Sequence",
                table: "OpportunityEvents",
                type: "integer",
                nullable: false,
                defaultValue: -1);

            migrationBuilder.AddColumn<Guid>(
                name: "StageId",
                table: "OpportunityEvents",
                type: "uuid",
                nullable: false,
                defaultValue: new Guid("00000000-0000-0000-0000-000000000000"));

            migrationBuilder.AddColumn<string>(
                name: "Status",
                table: "OpportunityEvents",
                type: "character varying(10)",
                maxLength: 10,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<decimal>(
                name: "WeightedAmountBase",
                table: "OpportunityEvents",
                type: "numeric(18,4)",
                precision: 18,
                scale: 4,
                nullable: false,
                defaultValue: 0m);

            migrationBuilder.AddColumn<string>(
                name: "ForecastCategory",
                table: "Opportunities",
                type: "character varying(10)",
                maxLength: 10,
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "ForecastCategoryOverride",
                table: "Opportunities",
                type: "character varying(10)",
                maxLength: 10,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "StageForecastCategory",
                table: "Opportunities",
                type: "character varying(10)",
                maxLength: 10,
                nullable: false,
                defaultValue: "");

            // Stages get the default category of their probability; deals take their stage's, won ones count as Commit
            // and lost ones as Omitted. The history's states are derived from the audit trail at start-up (HistoryRebuild).
            migrationBuilder.Sql("""
                UPDATE "Stages" SET "ForecastCategory" = CASE WHEN "Probability" >= 75 THEN 'Commit' WHEN "Probability" >= 40 THEN 'BestCase' ELSE 'Pipeline' END;
                UPDATE "Opportunities" SET "StageForecastCategory" = (SELECT s."ForecastCategory" FROM "Stages" s WHERE s."Id" = "Opportunities"."StageId");
                UPDATE "Opportunities" SET "ForecastCategory" = CASE "Status" WHEN 'Won' THEN 'Commit' WHEN 'Lost' THEN 'Omitted' ELSE "StageForecastCategory" END;
                """);

            migrationBuilder.CreateIndex(
                name: "IX_OpportunityEvents_OrganizationId_OpportunityId_At_Sequence",
                table: "OpportunityEvents",
                columns: new[] { "OrganizationId", "OpportunityId", "At", "Sequence" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_OpportunityEvents_OrganizationId_OpportunityId_At_Sequence",
                table: "OpportunityEvents");

            migrationBuilder.DropColumn(
                name: "ForecastCategory",
                table: "Stages");

            migrationBuilder.DropColumn(
                name: "ClosedOn",
                table: "OpportunityEvents");

            migrationBuilder.DropColumn(
                name: "DeliveredAmount",
                table: "OpportunityEvents");

            migrationBuilder.DropColumn(
                name: "ExchangeRate",
                table: "OpportunityEvents");

            migrationBuilder.DropColumn(
                name: "ExpectedAmount",
                table: "OpportunityEvents");

            migrationBuilder.DropColumn(
                name: "ExpectedCloseDate",
                table: "OpportunityEvents");

            migrationBuilder.DropColumn(
                name: "ForecastAmountBase",
                table: "OpportunityEvents");

            migrationBuilder.DropColumn(
                name: "ForecastCategory",
                table: "OpportunityEvents");

            migrationBuilder.DropColumn(
                name: "OrderedAmount",
                table: "OpportunityEvents");

            migrationBuilder.DropColumn(
                name: "OwnerId",
                table: "OpportunityEvents");

            migrationBuilder.DropColumn(
                name: "PipelineId",
                table: "OpportunityEvents");

            migrationBuilder.DropColumn(
                name: "QuotedAmount",
                table: "OpportunityEvents");

            migrationBuilder.DropColumn(
                name: "Sequence",
                table: "OpportunityEvents");

            migrationBuilder.DropColumn(
                name: "StageId",
                table: "OpportunityEvents");

            migrationBuilder.DropColumn(
                name: "Status",
                table: "OpportunityEvents");

            migrationBuilder.DropColumn(
                name: "WeightedAmountBase",
                table: "OpportunityEvents");

            migrationBuilder.DropColumn(
                name: "ForecastCategory",
                table: "Opportunities");

            migrationBuilder.DropColumn(
                name: "ForecastCategoryOverride",
                table: "Opportunities");

            migrationBuilder.DropColumn(
                name: "StageForecastCategory",
                table: "Opportunities");
        }
    }
}
