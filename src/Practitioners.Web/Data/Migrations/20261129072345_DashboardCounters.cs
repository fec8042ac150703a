using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Practitioners.Web.Data.Sql;

#nullable disable

namespace Practitioners.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class DashboardCounters : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "AdmissionStateCounts",
                columns: table => new
                {
                    CommunityId = table.Column<int>(type: "INTEGER", nullable: false),
                    State = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AdmissionStateCounts", x => new { x.CommunityId, x.State });
                });

            migrationBuilder.CreateTable(
                name: "CertificateExpiryCounts",
                columns: table => new
                {
                    CommunityId = table.Column<int>(type: "INTEGER", nullable: false),
                    Track = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    ExpiresOn = table.Column<DateOnly>(type: "TEXT", nullable: false),
                    Standing = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    Count = table.Column<int>(type: "INTEGER", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CertificateExpiryCounts", x => new { x.CommunityId, x.Track, x.ExpiresOn, x.Standing });
                });

            migrationBuilder.Sql(Practitioners.Web.Data.Sql.DashboardCounters.Create(migrationBuilder.ActiveProvider));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Practitioners.Web.Data.Sql.DashboardCounters.Drop(migrationBuilder.ActiveProvider));

            migrationBuilder.DropTable(
                name: "AdmissionStateCounts");

            migrationBuilder.DropTable(
                name: "CertificateExpiryCounts");
        }
    }
}
