CREATE TYPE "public"."analysis_status" AS ENUM('pending', 'completed', 'failed');--> statement-breakpoint
CREATE TABLE "analyses" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"user_id" uuid NOT NULL,
	"file_name" text NOT NULL,
	"content_hash" text NOT NULL,
	"size_bytes" integer NOT NULL,
	"status" "analysis_status" DEFAULT 'pending' NOT NULL,
	"result" jsonb,
	"error" text,
	"analyzer_version" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	"completed_at" timestamp (3) with time zone,
	CONSTRAINT "analyses_content_hash_hex" CHECK ("analyses"."content_hash" ~ '^[0-9a-f]{64}$'),
	CONSTRAINT "analyses_size_non_negative" CHECK ("analyses"."size_bytes" >= 0),
	CONSTRAINT "analyses_status_consistent" CHECK (("analyses"."status" <> 'completed' or ("analyses"."result" is not null and "analyses"."completed_at" is not null))
        and ("analyses"."status" <> 'failed' or ("analyses"."error" is not null and "analyses"."completed_at" is not null)))
);
--> statement-breakpoint
CREATE TABLE "users" (
	"id" uuid PRIMARY KEY DEFAULT gen_random_uuid() NOT NULL,
	"email" text NOT NULL,
	"name" text NOT NULL,
	"created_at" timestamp (3) with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "users_email_normalised" CHECK ("users"."email" = lower(btrim("users"."email")))
);
--> statement-breakpoint
ALTER TABLE "analyses" ADD CONSTRAINT "analyses_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "analyses_user_created_idx" ON "analyses" USING btree ("user_id","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "analyses_user_status_created_idx" ON "analyses" USING btree ("user_id","status","created_at" DESC NULLS FIRST,"id" DESC NULLS FIRST);--> statement-breakpoint
CREATE INDEX "analyses_content_hash_idx" ON "analyses" USING btree ("content_hash","analyzer_version");--> statement-breakpoint
CREATE INDEX "analyses_pending_created_idx" ON "analyses" USING btree ("created_at") WHERE "analyses"."status" = 'pending';--> statement-breakpoint
CREATE INDEX "analyses_created_idx" ON "analyses" USING btree ("created_at");--> statement-breakpoint
CREATE UNIQUE INDEX "users_email_key" ON "users" USING btree ("email");