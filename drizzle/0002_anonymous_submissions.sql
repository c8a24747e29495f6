ALTER TABLE "analyses" ALTER COLUMN "user_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "analyses" ADD COLUMN "submitter_hash" text;--> statement-breakpoint
CREATE INDEX "analyses_submitter_idx" ON "analyses" USING btree ("submitter_hash") WHERE "analyses"."user_id" is null;--> statement-breakpoint
ALTER TABLE "analyses" ADD CONSTRAINT "analyses_owned_or_claimable" CHECK ("analyses"."user_id" is not null or "analyses"."submitter_hash" is not null);