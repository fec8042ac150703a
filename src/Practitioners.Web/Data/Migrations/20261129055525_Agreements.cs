using System;
using Microsoft.EntityFrameworkCore.Migrations;
using Practitioners.Web.Data.Sql;

#nullable disable

namespace Practitioners.Web.Data.Migrations
{
    /// <inheritdoc />
    public partial class Agreements : Migration
    {
        /// <inheritdoc />
        protected override void Up(MigrationBuilder migrationBuilder)
        {
            migrationBuilder.CreateTable(
                name: "Agreements",
                columns: table => new
                {
                    Id = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    TitleZh = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    TitleEn = table.Column<string>(type: "TEXT", maxLength: 200, nullable: false),
                    Roles = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Countersignature = table.Column<bool>(type: "INTEGER", nullable: false),
                    GuardianConsentUnderAge = table.Column<int>(type: "INTEGER", nullable: true),
                    ReacceptanceMonths = table.Column<int>(type: "INTEGER", nullable: true),
                    Template = table.Column<bool>(type: "INTEGER", nullable: false),
                    UpdatedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Agreements", x => x.Id);
                });

            migrationBuilder.CreateTable(
                name: "AgreementVersions",
                columns: table => new
                {
                    AgreementId = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    EffectiveAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    Material = table.Column<bool>(type: "INTEGER", nullable: false),
                    ChangesZh = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    ChangesEn = table.Column<string>(type: "TEXT", maxLength: 1000, nullable: false),
                    TextZh = table.Column<string>(type: "TEXT", nullable: false),
                    TextEn = table.Column<string>(type: "TEXT", nullable: false),
                    PublishedAt = table.Column<DateTime>(type: "TEXT", nullable: false)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_AgreementVersions", x => new { x.AgreementId, x.Version });
                    table.ForeignKey(
                        name: "FK_AgreementVersions_Agreements_AgreementId",
                        column: x => x.AgreementId,
                        principalTable: "Agreements",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "Signatures",
                columns: table => new
                {
                    Id = table.Column<long>(type: "INTEGER", nullable: false)
                        .Annotation("Sqlite:Autoincrement", true),
                    AgreementId = table.Column<string>(type: "TEXT", maxLength: 80, nullable: false),
                    Version = table.Column<int>(type: "INTEGER", nullable: false),
                    Role = table.Column<string>(type: "TEXT", maxLength: 20, nullable: false),
                    UserId = table.Column<string>(type: "TEXT", nullable: true),
                    AdmissionId = table.Column<int>(type: "INTEGER", nullable: true),
                    ForSignatureId = table.Column<long>(type: "INTEGER", nullable: true),
                    Language = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    TextHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    TypedName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    GuardianRelation = table.Column<string>(type: "TEXT", maxLength: 40, nullable: true),
                    GuardianEmail = table.Column<string>(type: "TEXT", maxLength: 256, nullable: true),
                    NeedsCountersignature = table.Column<bool>(type: "INTEGER", nullable: false),
                    NeedsGuardian = table.Column<bool>(type: "INTEGER", nullable: false),
                    Declined = table.Column<bool>(type: "INTEGER", nullable: false),
                    DeclineReason = table.Column<string>(type: "TEXT", maxLength: 500, nullable: true),
                    SignedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    IpAddress = table.Column<string>(type: "TEXT", maxLength: 64, nullable: true),
                    UserAgent = table.Column<string>(type: "TEXT", maxLength: 512, nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_Signatures", x => x.Id);
                    table.ForeignKey(
                        name: "FK_Signatures_Admissions_AdmissionId",
                        column: x => x.AdmissionId,
                        principalTable: "Admissions",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Signatures_AgreementVersions_AgreementId_Version",
                        columns: x => new { x.AgreementId, x.Version },
                        principalTable: "AgreementVersions",
                        principalColumns: new[] { "AgreementId", "Version" },
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Signatures_AspNetUsers_UserId",
                        column: x => x.UserId,
                        principalTable: "AspNetUsers",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                    table.ForeignKey(
                        name: "FK_Signatures_Signatures_ForSignatureId",
                        column: x => x.ForSignatureId,
                        principalTable: "Signatures",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateTable(
                name: "GuardianInvitations",
                columns: table => new
                {
                    Id = table.Column<Guid>(type: "TEXT", nullable: false),
                    SignatureId = table.Column<long>(type: "INTEGER", nullable: false),
                    GuardianName = table.Column<string>(type: "TEXT", maxLength: 100, nullable: false),
                    Relation = table.Column<string>(type: "TEXT", maxLength: 40, nullable: false),
                    Email = table.Column<string>(type: "TEXT", maxLength: 256, nullable: false),
                    TokenHash = table.Column<string>(type: "TEXT", maxLength: 64, nullable: false),
                    Language = table.Column<string>(type: "TEXT", maxLength: 10, nullable: false),
                    CreatedAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    ExpiresAt = table.Column<DateTime>(type: "TEXT", nullable: false),
                    UsedAt = table.Column<DateTime>(type: "TEXT", nullable: true)
                },
                constraints: table =>
                {
                    table.PrimaryKey("PK_GuardianInvitations", x => x.Id);
                    table.ForeignKey(
                        name: "FK_GuardianInvitations_Signatures_SignatureId",
                        column: x => x.SignatureId,
                        principalTable: "Signatures",
                        principalColumn: "Id",
                        onDelete: ReferentialAction.Restrict);
                });

            migrationBuilder.CreateIndex(
                name: "IX_GuardianInvitations_SignatureId",
                table: "GuardianInvitations",
                column: "SignatureId");

            migrationBuilder.CreateIndex(
                name: "IX_GuardianInvitations_TokenHash",
                table: "GuardianInvitations",
                column: "TokenHash",
                unique: true);

            migrationBuilder.CreateIndex(
                name: "IX_Signatures_AdmissionId_Role_SignedAt",
                table: "Signatures",
                columns: new[] { "AdmissionId", "Role", "SignedAt" });

            migrationBuilder.CreateIndex(
                name: "IX_Signatures_AgreementId_Version",
                table: "Signatures",
                columns: new[] { "AgreementId", "Version" });

            migrationBuilder.CreateIndex(
                name: "IX_Signatures_ForSignatureId_Role",
                table: "Signatures",
                columns: new[] { "ForSignatureId", "Role" },
                unique: true,
                filter: "\"ForSignatureId\" IS NOT NULL");

            migrationBuilder.CreateIndex(
                name: "IX_Signatures_UserId_AgreementId",
                table: "Signatures",
                columns: new[] { "UserId", "AgreementId" });

            foreach (var table in new[] { "Signatures", "ModuleCompletions", "AuditEvents", "AdmissionStateChanges" })
            {
                migrationBuilder.Sql(AppendOnlyTables.Create(table, migrationBuilder.ActiveProvider));
            }
        }

        /// <inheritdoc />
        protected override void Down(MigrationBuilder migrationBuilder)
        {
            foreach (var table in new[] { "Signatures", "ModuleCompletions", "AuditEvents", "AdmissionStateChanges" })
            {
                migrationBuilder.Sql(AppendOnlyTables.Drop(table, migrationBuilder.ActiveProvider));
            }

            migrationBuilder.DropTable(
                name: "GuardianInvitations");

            migrationBuilder.DropTable(
                name: "Signatures");

            migrationBuilder.DropTable(
                name: "AgreementVersions");

            migrationBuilder.DropTable(
                name: "Agreements");
        }
    }
}
