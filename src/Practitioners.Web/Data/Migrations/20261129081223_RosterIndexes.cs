using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Practitioners.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class RosterIndexes : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateIndex(
                name: "IX_AspNetUsers_FullName_Id",
                table: "AspNetUsers",
                columns: new[] { "FullName", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Admissions_UserId_CommunityId",
                table: "Admissions",
                columns: new[] { "UserId", "CommunityId" });
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.DropIndex(
                name: "IX_AspNetUsers_FullName_Id",
                table: "AspNetUsers");

            migrationBuilder.DropIndex(
                name: "IX_Admissions_UserId_CommunityId",
                table: "Admissions");
        }
    }
}
