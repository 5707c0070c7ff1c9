using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kazan.Infrastructure.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class ContactEmailIndex : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_Contacts_OrganizationId_Email",
                table: "Contacts",
                columns: new[] { "OrganizationId", "Email" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Contacts_OrganizationId_Email",
                table: "Contacts");
        }
    }
}
