using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Npgsql.EntityFrameworkCore.PostgreSQL.Metadata;

#nullable disable

namespace Practitioners.Web.Data.Migrations.Postgres
{
    /// <inheritdoc />
    public partial class DashboardHoursRoster : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Activities",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CommunityId = table.Column<int>(type: "integer", nullable: false),
                    Title = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    Place = table.Column<string>(type: "character varying(200)", maxLength: 200, nullable: false),
                    StartsAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    EndsAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    RequiredTrack = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Capacity = table.Column<int>(type: "integer", nullable: false),
                    ChildrenUnderAge = table.Column<int>(type: "integer", nullable: true),
                    CheckInCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    CreatedByUserId = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Activities", x => x.Id);
                    table.CheckConstraint("CK_Activity_Capacity", "\"Capacity\" > 0");
                    table.CheckConstraint("CK_Activity_EndsAfterStart", "\"EndsAt\" > \"StartsAt\"");
                    table.ForeignKey(
                        name: "FK_Activities_AspNetUsers_CreatedByUserId",
                        column: x => x.CreatedByUserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Activities_Communities_CommunityId",
                        column: x => x.CommunityId,
                        principalTable: "Communities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "CertificateExpiryMonths",
                columns: table => new
                {
                    CommunityId = table.Column<int>(type: "integer", nullable: false),
                    Track = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Month = table.Column<DateOnly>(type: "date", nullable: false),
                    Standing = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_CertificateExpiryMonths", x => new { x.CommunityId, x.Track, x.Month, x.Standing });
                });

            migrationBuilder.CreateTable(
                name: "HoursCertificates",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    Number = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    VerificationCode = table.Column<string>(type: "character varying(32)", maxLength: 32, nullable: false),
                    UserId = table.Column<string>(type: "text", nullable: false),
                    From = table.Column<DateOnly>(type: "date", nullable: false),
                    To = table.Column<DateOnly>(type: "date", nullable: false),
                    TotalMinutes = table.Column<int>(type: "integer", nullable: false),
                    RecordCount = table.Column<int>(type: "integer", nullable: false),
                    ActivityCount = table.Column<int>(type: "integer", nullable: false),
                    CommunitiesZh = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    CommunitiesEn = table.Column<string>(type: "character varying(2000)", maxLength: 2000, nullable: false),
                    StreetsZh = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    StreetsEn = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: false),
                    RecordIds = table.Column<string>(type: "text", nullable: false),
                    IssuedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HoursCertificates", x => x.Id);
                    table.ForeignKey(
                        name: "FK_HoursCertificates_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "OrganiserDelegations",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    CommunityId = table.Column<int>(type: "integer", nullable: false),
                    UserId = table.Column<string>(type: "text", nullable: false),
                    GrantedByUserId = table.Column<string>(type: "text", nullable: false),
                    GrantedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    RevokedByUserId = table.Column<string>(type: "text", nullable: true),
                    RevokedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_OrganiserDelegations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_OrganiserDelegations_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_OrganiserDelegations_Communities_CommunityId",
                        column: x => x.CommunityId,
                        principalTable: "Communities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "TrainingPassCounts",
                columns: table => new
                {
                    CommunityId = table.Column<int>(type: "integer", nullable: false),
                    ModuleId = table.Column<string>(type: "character varying(80)", maxLength: 80, nullable: false),
                    Count = table.Column<int>(type: "integer", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_TrainingPassCounts", x => new { x.CommunityId, x.ModuleId });
                });

            migrationBuilder.CreateTable(
                name: "SignUps",
                columns: table => new
                {
                    Id = table.Column<int>(type: "integer", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    ActivityId = table.Column<int>(type: "integer", nullable: false),
                    UserId = table.Column<string>(type: "text", nullable: false),
                    SignedUpAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    CancelledAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CheckedInAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CheckedInByUserId = table.Column<string>(type: "text", nullable: true),
                    CheckedOutAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    CheckedOutByUserId = table.Column<string>(type: "text", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_SignUps", x => x.Id);
                    table.CheckConstraint("CK_SignUp_OutAfterIn", "\"CheckedOutAt\" IS NULL OR (\"CheckedInAt\" IS NOT NULL AND \"CheckedOutAt\" > \"CheckedInAt\")");
                    table.ForeignKey(
                        name: "FK_SignUps_Activities_ActivityId",
                        column: x => x.ActivityId,
                        principalTable: "Activities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_SignUps_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "HoursRecords",
                columns: table => new
                {
                    Id = table.Column<long>(type: "bigint", nullable: false)
                        .Annotation("Npgsql:ValueGenerationStrategy", NpgsqlValueGenerationStrategy.IdentityByDefaultColumn),
                    UserId = table.Column<string>(type: "text", nullable: false),
                    CommunityId = table.Column<int>(type: "integer", nullable: false),
                    ActivityId = table.Column<int>(type: "integer", nullable: true),
                    SignUpId = table.Column<int>(type: "integer", nullable: true),
                    Kind = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    StartAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    EndAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    Minutes = table.Column<int>(type: "integer", nullable: false),
                    Description = table.Column<string>(type: "character varying(1000)", maxLength: 1000, nullable: true),
                    ReplacesId = table.Column<long>(type: "bigint", nullable: true),
                    Reason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true),
                    CreatedByUserId = table.Column<string>(type: "text", nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: false),
                    State = table.Column<string>(type: "character varying(20)", maxLength: 20, nullable: false),
                    DecidedByUserId = table.Column<string>(type: "text", nullable: true),
                    DecidedAt = table.Column<DateTime>(type: "timestamp with time zone", nullable: true),
                    DecisionReason = table.Column<string>(type: "character varying(500)", maxLength: 500, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_HoursRecords", x => x.Id);
                    table.CheckConstraint("CK_HoursRecord_Positive", "\"EndAt\" > \"StartAt\" AND \"Minutes\" > 0");
                    table.ForeignKey(
                        name: "FK_HoursRecords_Activities_ActivityId",
                        column: x => x.ActivityId,
                        principalTable: "Activities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_HoursRecords_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_HoursRecords_Communities_CommunityId",
                        column: x => x.CommunityId,
                        principalTable: "Communities",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_HoursRecords_HoursRecords_ReplacesId",
                        column: x => x.ReplacesId,
                        principalTable: "HoursRecords",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_HoursRecords_SignUps_SignUpId",
                        column: x => x.SignUpId,
                        principalTable: "SignUps",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_AspNetUsers_FullName_Id",
                table: "AspNetUsers",
                columns: new[] { "FullName", "Id" });

            migrationBuilder.CreateIndex(
                name: "IX_Admissions_UserId_CommunityId",
                table: "Admissions",
                columns: new[] { "UserId", "CommunityId" });

            migrationBuilder.CreateIndex(
                name: "IX_Activities_CheckInCode",
                table: "Activities",
                column: "CheckInCode",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Activities_CommunityId_StartsAt",
                table: "Activities",
                columns: new[] { "CommunityId", "StartsAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Activities_CreatedByUserId",
                table: "Activities",
                column: "CreatedByUserId");

            migrationBuilder.CreateIndex(
                name: "IX_Activities_StartsAt",
                table: "Activities",
                column: "StartsAt");

            migrationBuilder.CreateIndex(
                name: "IX_HoursCertificates_Number",
                table: "HoursCertificates",
                column: "Number",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_HoursCertificates_UserId",
                table: "HoursCertificates",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_HoursCertificates_VerificationCode",
                table: "HoursCertificates",
                column: "VerificationCode",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_HoursRecords_ActivityId",
                table: "HoursRecords",
                column: "ActivityId");

            migrationBuilder.CreateIndex(
                name: "IX_HoursRecords_CommunityId_State_StartAt",
                table: "HoursRecords",
                columns: new[] { "CommunityId", "State", "StartAt" });

            migrationBuilder.CreateIndex(
                name: "IX_HoursRecords_ReplacesId",
                table: "HoursRecords",
                column: "ReplacesId",
                unique: true,
                filter: "\"ReplacesId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_HoursRecords_SignUpId",
                table: "HoursRecords",
                column: "SignUpId",
                unique: true,
                filter: "\"SignUpId\" IS NOT NULL AND \"ReplacesId\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_HoursRecords_UserId_State_StartAt",
                table: "HoursRecords",
                columns: new[] { "UserId", "State", "StartAt" });

            migrationBuilder.CreateIndex(
                name: "IX_OrganiserDelegations_CommunityId_UserId",
                table: "OrganiserDelegations",
                columns: new[] { "CommunityId", "UserId" },
                unique: true,
                filter: "\"RevokedAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_OrganiserDelegations_UserId",
                table: "OrganiserDelegations",
                column: "UserId");

            migrationBuilder.CreateIndex(
                name: "IX_SignUps_ActivityId_UserId",
                table: "SignUps",
                columns: new[] { "ActivityId", "UserId" },
                unique: true,
                filter: "\"CancelledAt\" IS NULL");

            migrationBuilder.CreateIndex(
                name: "IX_SignUps_UserId",
                table: "SignUps",
                column: "UserId");

            migrationBuilder.Sql(Practitioners.Web.Data.Sql.DashboardCounters.CreateMonthsAndTraining(migrationBuilder.ActiveProvider));
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.Sql(Practitioners.Web.Data.Sql.DashboardCounters.DropMonthsAndTraining(migrationBuilder.ActiveProvider));

            migrationBuilder.DropTable(
                name: "CertificateExpiryMonths");

            migrationBuilder.DropTable(
                name: "HoursCertificates");

            migrationBuilder.DropTable(
                name: "HoursRecords");

            migrationBuilder.DropTable(
                name: "OrganiserDelegations");

            migrationBuilder.DropTable(
                name: "TrainingPassCounts");

            migrationBuilder.DropTable(
                name: "SignUps");

            migrationBuilder.DropTable(
                name: "Activities");

            migrationBuilder.DropIndex(
                name: "IX_AspNetUsers_FullName_Id",
                table: "AspNetUsers");

            migrationBuilder.DropIndex(
                name: "IX_Admissions_UserId_CommunityId",
                table: "Admissions");
        }
    }
}
