using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kazan.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ExternalIds : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.AddColumn<string>(
                name: "ExternalId",
                table: "Products",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ExternalId",
                table: "Opportunities",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ExternalId",
                table: "Contacts",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "ExternalId",
                table: "Accounts",
                type: "character varying(100)",
                maxLength: 100,
                nullable: true);

            migrationBuilder.CreateIndex(
                name: "IX_Products_OrganizationId_ExternalId",
                table: "Products",
                columns: new[] { "OrganizationId", "ExternalId" },
                unique: true,
                filter: "\"ExternalId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Opportunities_OrganizationId_ExternalId",
                table: "Opportunities",
                columns: new[] { "OrganizationId", "ExternalId" },
                unique: true,
                filter: "\"ExternalId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_OrganizationId_ExternalId",
                table: "Contacts",
                columns: new[] { "OrganizationId", "ExternalId" },
                unique: true,
                filter: "\"ExternalId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_OrganizationId_ExternalId",
                table: "Accounts",
                columns: new[] { "OrganizationId", "ExternalId" },
                unique: true,
                filter: "\"ExternalId\" IS NOT NULL");
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Products_OrganizationId_ExternalId",
                table: "Products");

            migrationBuilder.DropIndex(
                name: "IX_Opportunities_OrganizationId_ExternalId",
                table: "Opportunities");

            migrationBuilder.DropIndex(
                name: "IX_Contacts_OrganizationId_ExternalId",
                table: "Contacts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_OrganizationId_ExternalId",
                table: "Accounts");

            migrationBuilder.DropColumn(
                name: "ExternalId",
                table: "Products");

            migrationBuilder.DropColumn(
                name: "ExternalId",
                table: "Opportunities");

            migrationBuilder.DropColumn(
                name: "ExternalId",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "ExternalId",
                table: "Accounts");
        }
    }
}
