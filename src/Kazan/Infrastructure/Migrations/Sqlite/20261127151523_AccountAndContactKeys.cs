using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Kazan.Infrastructure.Migrations.Sqlite
{
    /// <inheritdoc />
    public partial class AccountAndContactKeys : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Contacts_OrganizationId_AccountId_LastName_Id",
                table: "Contacts");

            migrationBuilder.DropIndex(
                name: "IX_Contacts_OrganizationId_IsArchived_LastName_FirstName_Id",
                table: "Contacts");

            migrationBuilder.DropIndex(
                name: "IX_Contacts_OrganizationId_OwnerId_IsArchived_LastName_FirstName_Id",
                table: "Contacts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_OrganizationId_IsArchived_Name_Id",
                table: "Accounts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_OrganizationId_OwnerId_IsArchived_Name_Id",
                table: "Accounts");

            migrationBuilder.AddColumn<string>(
                name: "NameKey",
                table: "Contacts",
                type: "TEXT",
                nullable: false,
                defaultValue: "");

            migrationBuilder.AddColumn<string>(
                name: "CityKey",
                table: "Accounts",
                type: "TEXT",
                nullable: true);

            migrationBuilder.AddColumn<string>(
                name: "NameKey",
                table: "Accounts",
                type: "TEXT",
                maxLength: 200,
                nullable: false,
                defaultValue: "");

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_OrganizationId_AccountId_NameKey_Id",
                table: "Contacts",
                columns: new[] { "OrganizationId", "AccountId", "NameKey", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_OrganizationId_IsArchived_NameKey_Id",
                table: "Contacts",
                columns: new[] { "OrganizationId", "IsArchived", "NameKey", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_OrganizationId_OwnerId_IsArchived_NameKey_Id",
                table: "Contacts",
                columns: new[] { "OrganizationId", "OwnerId", "IsArchived", "NameKey", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_OrganizationId_CityKey_IsArchived_NameKey_Id",
                table: "Accounts",
                columns: new[] { "OrganizationId", "CityKey", "IsArchived", "NameKey", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_OrganizationId_IsArchived_NameKey_Id",
                table: "Accounts",
                columns: new[] { "OrganizationId", "IsArchived", "NameKey", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_OrganizationId_NameKey",
                table: "Accounts",
                columns: new[] { "OrganizationId", "NameKey" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_OrganizationId_OwnerId_IsArchived_NameKey_Id",
                table: "Accounts",
                columns: new[] { "OrganizationId", "OwnerId", "IsArchived", "NameKey", "Id" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_Contacts_OrganizationId_AccountId_NameKey_Id",
                table: "Contacts");

            migrationBuilder.DropIndex(
                name: "IX_Contacts_OrganizationId_IsArchived_NameKey_Id",
                table: "Contacts");

            migrationBuilder.DropIndex(
                name: "IX_Contacts_OrganizationId_OwnerId_IsArchived_NameKey_Id",
                table: "Contacts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_OrganizationId_CityKey_IsArchived_NameKey_Id",
                table: "Accounts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_OrganizationId_IsArchived_NameKey_Id",
                table: "Accounts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_OrganizationId_NameKey",
                table: "Accounts");

            migrationBuilder.DropIndex(
                name: "IX_Accounts_OrganizationId_OwnerId_IsArchived_NameKey_Id",
                table: "Accounts");

            migrationBuilder.DropColumn(
                name: "NameKey",
                table: "Contacts");

            migrationBuilder.DropColumn(
                name: "CityKey",
                table: "Accounts");

            migrationBuilder.DropColumn(
                name: "NameKey",
                table: "Accounts");

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_OrganizationId_AccountId_LastName_Id",
                table: "Contacts",
                columns: new[] { "OrganizationId", "AccountId", "LastName", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_OrganizationId_IsArchived_LastName_FirstName_Id",
                table: "Contacts",
                columns: new[] { "OrganizationId", "IsArchived", "LastName", "FirstName", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Contacts_OrganizationId_OwnerId_IsArchived_LastName_FirstName_Id",
                table: "Contacts",
                columns: new[] { "OrganizationId", "OwnerId", "IsArchived", "LastName", "FirstName", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_OrganizationId_IsArchived_Name_Id",
                table: "Accounts",
                columns: new[] { "OrganizationId", "IsArchived", "Name", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Accounts_OrganizationId_OwnerId_IsArchived_Name_Id",
                table: "Accounts",
                columns: new[] { "OrganizationId", "OwnerId", "IsArchived", "Name", "Id" });
        }
    }
}
