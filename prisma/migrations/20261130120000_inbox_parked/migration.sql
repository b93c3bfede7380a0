-- Channel edge: an inbound event that keeps failing is set aside (parked) instead of holding back
-- the person's later events; it stays, encrypted, until the retention purge. See prisma/schema.prisma.

ALTER TABLE "inbound_event" ADD COLUMN "parked_at" TIMESTAMPTZ(3);
