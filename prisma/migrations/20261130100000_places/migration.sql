-- Places since 1 July 2025 (Decree 184/2025, two-tier local government): province → commune,
-- ward or special zone; districts no longer exist. Clubs drop their district; the services
-- directory moves from content/ into this table, by National Statistics Office codes, so the
-- people who check it can fill it (`admin services import`).

DROP INDEX IF EXISTS "club_province_district_commune_idx";
ALTER TABLE "club" DROP COLUMN "district";
CREATE INDEX "club_province_commune_idx" ON "club"("province", "commune");

CREATE TABLE "service" (
    "id" TEXT NOT NULL,
    "province_code" TEXT NOT NULL,
    "commune_code" TEXT,
    "type" TEXT NOT NULL,
    "name_vi" TEXT NOT NULL,
    "name_en" TEXT NOT NULL,
    "address_vi" TEXT NOT NULL,
    "address_en" TEXT NOT NULL,
    "phone" TEXT,
    "hours_vi" TEXT NOT NULL,
    "hours_en" TEXT NOT NULL,
    "notes_vi" TEXT,
    "notes_en" TEXT,
    "verified_on" DATE NOT NULL,
    "sample" BOOLEAN NOT NULL DEFAULT false,
    "updated_at" TIMESTAMPTZ(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "service_pkey" PRIMARY KEY ("id")
);
CREATE INDEX "service_province_code_commune_code_idx" ON "service"("province_code", "commune_code");
