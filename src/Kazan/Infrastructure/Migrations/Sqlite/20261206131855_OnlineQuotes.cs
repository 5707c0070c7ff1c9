using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kazan.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class OnlineQuotes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "DecidedByName",
                table: "Quotes",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DecidedByTitle",
                table: "Quotes",
                type: "TEXT",
                maxLength: 200,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DecidedFromIp",
                table: "Quotes",
                type: "TEXT",
                maxLength: 64,
                nullable: true);

            migrationBuilder.AddColumn<bool>(
                name: "DecidedOnline",
                table: "Quotes",
                type: "INTEGER",
                nullable: false,
                defaultValue: false);

            migrationBuilder.AddColumn<string>(
                name: "DecidedUserAgent",
                table: "Quotes",
                type: "TEXT",
                maxLength: 512,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "DecisionReason",
                table: "Quotes",
                type: "TEXT",
                maxLength: 2000,
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "FirstViewedAt",
                table: "Quotes",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<long>(
                name: "LastViewedAt",
                table: "Quotes",
                type: "INTEGER",
                nullable: true);

            migrationBuilder.AddColumn<int>(
                name: "ViewCount",
                table: "Quotes",
                type: "INTEGER",
                nullable: false,
                defaultValue: 0);

            migrationBuilder.CreateTable(
                name: "QuoteLinks",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    OrganizationId = table.Column<Guid>(type: "TEXT", nullable: false),
                    QuoteId = table.Column<Guid>(type: "TEXT", nullable: false),
                    TokenHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    CreatedAt = table.Column<long>(type: "INTEGER", nullable: false),
                    ExpiresAt = table.Column<long>(type: "INTEGER", nullable: false),
                    RevokedAt = table.Column<long>(type: "INTEGER", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_QuoteLinks", x => x.Id);
                    table.ForeignKey(
                        name: "FK_QuoteLinks_Organizations_OrganizationId",
                        column: x => x.OrganizationId,
                        principalTable: "Organizations",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_QuoteLinks_Quotes_QuoteId",
                        column: x => x.QuoteId,
                        principalTable: "Quotes",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Cascade);
                });

            migrationBuilder.CreateIndex(
                name: "IX_QuoteLinks_OrganizationId_QuoteId",
                table: "QuoteLinks",
                columns: new[] { "OrganizationId", "QuoteId" });

            migrationBuilder.CreateIndex(
                name: "IX_QuoteLinks_QuoteId",
                table: "QuoteLinks",
                column: "QuoteId");

            migrationBuilder.CreateIndex(
                name: "IX_QuoteLinks_TokenHash",
                table: "QuoteLinks",
                column: "TokenHash",
                unique: true);
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropTable(
                name: "QuoteLinks");

            migrationBuilder.DropColumn(
                name: "DecidedByName",
                table: "Quotes");

            migrationBuilder.DropColumn(
                name: "DecidedByTitle",
                table: "Quotes");

            migrationBuilder.DropColumn(
                name: "DecidedFromIp",
                table: "Quotes");

            migrationBuilder.DropColumn(
                name: "DecidedOnline",
                table: "Quotes");

            migrationBuilder.DropColumn(
                name: "DecidedUserAgent",
                table: "Quotes");

            migrationBuilder.DropColumn(
                name: "DecisionReason",
                table: "Quotes");

            migrationBuilder.DropColumn(
                name: "FirstViewedAt",
                table: "Quotes");

            migrationBuilder.DropColumn(
                name: "LastViewedAt",
                table: "Quotes");

            migrationBuilder.DropColumn(
                name: "ViewCount",
                table: "Quotes");
        }
    }
}
