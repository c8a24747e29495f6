ALTER TABLE "analyses" ADD COLUMN "error_code" text;--> statement-breakpoint
-- Analyses that failed before codes were kept: the generic engine failure.
UPDATE "analyses" SET "error_code" = 'ANALYSIS_FAILED' WHERE "status" = 'failed';
