using System;
using Microsoft.EntityFrameworkCore.Migrations;

#nullable disable

namespace Practitioners.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class DashboardMonthsAndTraining : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "CertificateExpiryMonths",
                columns: table => new
                {
                    CommunityId = table.Column<int>(type: "INTEGER", nullable: false),
                    Track = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Month = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Standing = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CertificateExpiryMonths", x => new { x.CommunityId, x.Track, x.Month, x.Standing });
                });

            migrationBuilder.CreateTable(
                name: "TrainingPassCounts",
                columns: table => new
                {
                    CommunityId = table.Column<int>(type: "INTEGER", nullable: false),
                    ModuleId = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TrainingPassCounts", x => new { x.CommunityId, x.ModuleId });
                });

            migrationBuilder.Sql(Practitioners.Web.Data.Sql.DashboardCounters.CreateMonthsAndTraining(migrationBuilder.ActiveProvider));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Practitioners.Web.Data.Sql.DashboardCounters.DropMonthsAndTraining(migrationBuilder.ActiveProvider));

            migrationBuilder.DropTable(
                name: "CertificateExpiryMonths");

            migrationBuilder.DropTable(
                name: "TrainingPassCounts");
        }
    }
}
