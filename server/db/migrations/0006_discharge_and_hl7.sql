CREATE TABLE "discharge_barriers" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"code" text NOT NULL,
	"note" text,
	"started_at" timestamp with time zone NOT NULL,
	"ended_at" timestamp with time zone,
	"recorded_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"retired_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "discharge_choice_lists" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"criteria" jsonb NOT NULL,
	"providers" jsonb NOT NULL,
	"given_at" timestamp with time zone,
	"given_by" uuid,
	"choices" uuid[] DEFAULT '{}'::uuid[] NOT NULL,
	"chosen_by" text,
	"chosen_by_name" text,
	"choices_recorded_at" timestamp with time zone,
	"declined_to_choose" boolean DEFAULT false NOT NULL,
	"note" text,
	"confirmed_referral_id" uuid,
	"confirmed_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_by" uuid,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "discharge_follow_up_calls" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"plan_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"task_id" uuid,
	"called_at" timestamp with time zone NOT NULL,
	"reached" boolean NOT NULL,
	"services_started" text,
	"new_needs" text[] DEFAULT '{}'::text[] NOT NULL,
	"note" text,
	"called_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "discharge_plans" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"encounter_id" uuid NOT NULL,
	"status" text DEFAULT 'open' NOT NULL,
	"target_disposition" text,
	"anticipated_needs" text[] DEFAULT '{}'::text[] NOT NULL,
	"lace_inputs" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"note" text,
	"actual_disposition" text,
	"closed_at" timestamp with time zone,
	"follow_up_task_id" uuid,
	"created_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "post_acute_ratings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"measure" text NOT NULL,
	"value" text NOT NULL,
	"scale" text DEFAULT 'stars-1-5' NOT NULL,
	"source" text NOT NULL,
	"as_of" date NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hl7_feeds" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"sending_facility" text NOT NULL,
	"assigning_authority" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "hl7_messages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid,
	"received_at" timestamp with time zone DEFAULT now() NOT NULL,
	"transport" text NOT NULL,
	"raw" text NOT NULL,
	"sending_application" text,
	"sending_facility" text,
	"control_id" text,
	"message_type" text,
	"trigger_event" text,
	"version" text,
	"outcome" text DEFAULT 'received' NOT NULL,
	"ack_code" text,
	"errors" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"patient_id" uuid,
	"encounter_id" uuid,
	"applied_at" timestamp with time zone,
	"replays" integer DEFAULT 0 NOT NULL,
	"last_replayed_at" timestamp with time zone,
	"last_replayed_by" uuid
);
--> statement-breakpoint
ALTER TABLE "referrals" ALTER COLUMN "need_id" DROP NOT NULL;--> statement-breakpoint
ALTER TABLE "encounters" ADD COLUMN "discharge_disposition_code" text;--> statement-breakpoint
ALTER TABLE "encounters" ADD COLUMN "admission_type" text;--> statement-breakpoint
ALTER TABLE "encounters" ADD COLUMN "hospital_service" text;--> statement-breakpoint
ALTER TABLE "encounters" ADD COLUMN "admit_source" text;--> statement-breakpoint
ALTER TABLE "encounters" ADD COLUMN "readmission_of_id" uuid;--> statement-breakpoint
ALTER TABLE "encounters" ADD COLUMN "prior_unit" text;--> statement-breakpoint
ALTER TABLE "encounters" ADD COLUMN "prior_room" text;--> statement-breakpoint
ALTER TABLE "encounters" ADD COLUMN "prior_bed" text;--> statement-breakpoint
ALTER TABLE "encounters" ADD COLUMN "triggers_evaluated_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "referrals" ADD COLUMN "choice_list_id" uuid;--> statement-breakpoint
ALTER TABLE "referrals" ADD COLUMN "bed_offered_on" date;--> statement-breakpoint
ALTER TABLE "directory_services" ADD COLUMN "post_acute_kind" text;--> statement-breakpoint
ALTER TABLE "directory_services" ADD COLUMN "post_acute_capabilities" text[] DEFAULT '{}'::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "directory_services" ADD COLUMN "post_acute_financial_interest" text;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "admission_triggers" jsonb DEFAULT '[]'::jsonb NOT NULL;--> statement-breakpoint
ALTER TABLE "discharge_barriers" ADD CONSTRAINT "discharge_barriers_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discharge_barriers" ADD CONSTRAINT "discharge_barriers_plan_id_discharge_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."discharge_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discharge_barriers" ADD CONSTRAINT "discharge_barriers_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discharge_barriers" ADD CONSTRAINT "discharge_barriers_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discharge_choice_lists" ADD CONSTRAINT "discharge_choice_lists_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discharge_choice_lists" ADD CONSTRAINT "discharge_choice_lists_plan_id_discharge_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."discharge_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discharge_choice_lists" ADD CONSTRAINT "discharge_choice_lists_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discharge_choice_lists" ADD CONSTRAINT "discharge_choice_lists_given_by_users_id_fk" FOREIGN KEY ("given_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discharge_choice_lists" ADD CONSTRAINT "discharge_choice_lists_confirmed_referral_id_referrals_id_fk" FOREIGN KEY ("confirmed_referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discharge_choice_lists" ADD CONSTRAINT "discharge_choice_lists_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discharge_follow_up_calls" ADD CONSTRAINT "discharge_follow_up_calls_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discharge_follow_up_calls" ADD CONSTRAINT "discharge_follow_up_calls_plan_id_discharge_plans_id_fk" FOREIGN KEY ("plan_id") REFERENCES "public"."discharge_plans"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discharge_follow_up_calls" ADD CONSTRAINT "discharge_follow_up_calls_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discharge_follow_up_calls" ADD CONSTRAINT "discharge_follow_up_calls_task_id_tasks_id_fk" FOREIGN KEY ("task_id") REFERENCES "public"."tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discharge_follow_up_calls" ADD CONSTRAINT "discharge_follow_up_calls_called_by_users_id_fk" FOREIGN KEY ("called_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discharge_plans" ADD CONSTRAINT "discharge_plans_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discharge_plans" ADD CONSTRAINT "discharge_plans_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discharge_plans" ADD CONSTRAINT "discharge_plans_encounter_id_encounters_id_fk" FOREIGN KEY ("encounter_id") REFERENCES "public"."encounters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discharge_plans" ADD CONSTRAINT "discharge_plans_follow_up_task_id_tasks_id_fk" FOREIGN KEY ("follow_up_task_id") REFERENCES "public"."tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "discharge_plans" ADD CONSTRAINT "discharge_plans_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "post_acute_ratings" ADD CONSTRAINT "post_acute_ratings_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "post_acute_ratings" ADD CONSTRAINT "post_acute_ratings_service_id_directory_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."directory_services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hl7_feeds" ADD CONSTRAINT "hl7_feeds_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hl7_messages" ADD CONSTRAINT "hl7_messages_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hl7_messages" ADD CONSTRAINT "hl7_messages_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hl7_messages" ADD CONSTRAINT "hl7_messages_encounter_id_encounters_id_fk" FOREIGN KEY ("encounter_id") REFERENCES "public"."encounters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "hl7_messages" ADD CONSTRAINT "hl7_messages_last_replayed_by_users_id_fk" FOREIGN KEY ("last_replayed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "discharge_barriers_plan_idx" ON "discharge_barriers" USING btree ("plan_id");--> statement-breakpoint
CREATE INDEX "discharge_barriers_org_idx" ON "discharge_barriers" USING btree ("organization_id","started_at");--> statement-breakpoint
CREATE INDEX "discharge_choice_lists_plan_idx" ON "discharge_choice_lists" USING btree ("plan_id");--> statement-breakpoint
CREATE INDEX "discharge_follow_up_calls_plan_idx" ON "discharge_follow_up_calls" USING btree ("plan_id");--> statement-breakpoint
CREATE UNIQUE INDEX "discharge_plans_encounter_key" ON "discharge_plans" USING btree ("encounter_id");--> statement-breakpoint
CREATE INDEX "discharge_plans_patient_idx" ON "discharge_plans" USING btree ("patient_id");--> statement-breakpoint
CREATE INDEX "discharge_plans_open_idx" ON "discharge_plans" USING btree ("organization_id") WHERE "discharge_plans"."status" = 'open';--> statement-breakpoint
CREATE UNIQUE INDEX "post_acute_ratings_key" ON "post_acute_ratings" USING btree ("service_id","measure");--> statement-breakpoint
CREATE UNIQUE INDEX "hl7_feeds_facility_key" ON "hl7_feeds" USING btree (lower("sending_facility"));--> statement-breakpoint
CREATE INDEX "hl7_messages_received_idx" ON "hl7_messages" USING btree ("organization_id","received_at");--> statement-breakpoint
CREATE INDEX "hl7_messages_outcome_idx" ON "hl7_messages" USING btree ("organization_id","outcome","received_at") WHERE "hl7_messages"."outcome" in ('error', 'rejected', 'received');--> statement-breakpoint
CREATE UNIQUE INDEX "hl7_messages_applied_key" ON "hl7_messages" USING btree (coalesce("sending_application", ''),coalesce("sending_facility", ''),"control_id") WHERE "hl7_messages"."outcome" = 'applied';--> statement-breakpoint
CREATE INDEX "hl7_messages_patient_idx" ON "hl7_messages" USING btree ("patient_id") WHERE "hl7_messages"."patient_id" is not null;--> statement-breakpoint
ALTER TABLE "encounters" ADD CONSTRAINT "encounters_readmission_of_id_encounters_id_fk" FOREIGN KEY ("readmission_of_id") REFERENCES "public"."encounters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_choice_list_id_discharge_choice_lists_id_fk" FOREIGN KEY ("choice_list_id") REFERENCES "public"."discharge_choice_lists"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "referrals_choice_list_idx" ON "referrals" USING btree ("choice_list_id") WHERE "referrals"."choice_list_id" is not null;--> statement-breakpoint
CREATE INDEX "directory_services_post_acute_idx" ON "directory_services" USING btree ("organization_id","post_acute_kind") WHERE "directory_services"."post_acute_kind" is not null;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_need_or_placement" CHECK ("referrals"."need_id" is not null or "referrals"."choice_list_id" is not null);