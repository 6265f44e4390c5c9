CREATE TABLE "assessment_alarms" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"root_assessment_id" uuid NOT NULL,
	"assessment_id" uuid NOT NULL,
	"code" text NOT NULL,
	"reason" text NOT NULL,
	"flag_id" uuid,
	"task_id" uuid,
	"raised_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "assessment_handoffs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"assessment_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"language" text NOT NULL,
	"created_by" uuid NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "assessments" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"encounter_id" uuid,
	"case_id" uuid,
	"instrument_id" text NOT NULL,
	"instrument_version" text NOT NULL,
	"status" text NOT NULL,
	"mode" text DEFAULT 'staff' NOT NULL,
	"language" text DEFAULT 'en' NOT NULL,
	"answers" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"content" jsonb,
	"result" jsonb,
	"score" integer,
	"band" text,
	"screened_domains" text[] DEFAULT '{}'::text[] NOT NULL,
	"positive_domains" text[] DEFAULT '{}'::text[] NOT NULL,
	"alarms" jsonb DEFAULT '[]'::jsonb NOT NULL,
	"started_by" uuid NOT NULL,
	"started_at" timestamp with time zone DEFAULT now() NOT NULL,
	"completed_by" uuid,
	"completed_at" timestamp with time zone,
	"decline_reason" text,
	"note" text,
	"amends_id" uuid,
	"amendment_reason" text,
	"root_id" uuid NOT NULL,
	"superseded_by_id" uuid,
	"superseded_at" timestamp with time zone,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "observations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"assessment_id" uuid NOT NULL,
	"encounter_id" uuid,
	"status" text NOT NULL,
	"code_system" text NOT NULL,
	"code" text NOT NULL,
	"display" text NOT NULL,
	"value_integer" integer,
	"value_code" text,
	"effective_at" timestamp with time zone NOT NULL,
	"resource" jsonb NOT NULL,
	"superseded_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "need_findings" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"need_id" uuid NOT NULL,
	"assessment_id" uuid NOT NULL,
	"found_at" timestamp with time zone NOT NULL
);
--> statement-breakpoint
CREATE TABLE "need_links" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"need_id" uuid NOT NULL,
	"kind" text NOT NULL,
	"target_id" uuid NOT NULL,
	"linked_by" uuid,
	"linked_at" timestamp with time zone NOT NULL,
	"unlinked_at" timestamp with time zone
);
--> statement-breakpoint
CREATE TABLE "need_transitions" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"need_id" uuid NOT NULL,
	"action" text NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"by_user" uuid,
	"at" timestamp with time zone NOT NULL,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "needs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"domain" text NOT NULL,
	"status" text NOT NULL,
	"source_assessment_id" uuid,
	"identified_at" timestamp with time zone NOT NULL,
	"identified_by" uuid,
	"last_found_at" timestamp with time zone NOT NULL,
	"note" text,
	"status_changed_at" timestamp with time zone NOT NULL,
	"status_changed_by" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "assessment_alarms" ADD CONSTRAINT "assessment_alarms_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_alarms" ADD CONSTRAINT "assessment_alarms_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_alarms" ADD CONSTRAINT "assessment_alarms_root_assessment_id_assessments_id_fk" FOREIGN KEY ("root_assessment_id") REFERENCES "public"."assessments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_alarms" ADD CONSTRAINT "assessment_alarms_assessment_id_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_handoffs" ADD CONSTRAINT "assessment_handoffs_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_handoffs" ADD CONSTRAINT "assessment_handoffs_assessment_id_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessment_handoffs" ADD CONSTRAINT "assessment_handoffs_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_encounter_id_encounters_id_fk" FOREIGN KEY ("encounter_id") REFERENCES "public"."encounters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_started_by_users_id_fk" FOREIGN KEY ("started_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "assessments" ADD CONSTRAINT "assessments_completed_by_users_id_fk" FOREIGN KEY ("completed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observations" ADD CONSTRAINT "observations_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observations" ADD CONSTRAINT "observations_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observations" ADD CONSTRAINT "observations_assessment_id_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "observations" ADD CONSTRAINT "observations_encounter_id_encounters_id_fk" FOREIGN KEY ("encounter_id") REFERENCES "public"."encounters"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "need_findings" ADD CONSTRAINT "need_findings_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "need_findings" ADD CONSTRAINT "need_findings_need_id_needs_id_fk" FOREIGN KEY ("need_id") REFERENCES "public"."needs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "need_findings" ADD CONSTRAINT "need_findings_assessment_id_assessments_id_fk" FOREIGN KEY ("assessment_id") REFERENCES "public"."assessments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "need_links" ADD CONSTRAINT "need_links_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "need_links" ADD CONSTRAINT "need_links_need_id_needs_id_fk" FOREIGN KEY ("need_id") REFERENCES "public"."needs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "need_links" ADD CONSTRAINT "need_links_linked_by_users_id_fk" FOREIGN KEY ("linked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "need_transitions" ADD CONSTRAINT "need_transitions_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "need_transitions" ADD CONSTRAINT "need_transitions_need_id_needs_id_fk" FOREIGN KEY ("need_id") REFERENCES "public"."needs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "need_transitions" ADD CONSTRAINT "need_transitions_by_user_users_id_fk" FOREIGN KEY ("by_user") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "needs" ADD CONSTRAINT "needs_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "needs" ADD CONSTRAINT "needs_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "needs" ADD CONSTRAINT "needs_source_assessment_id_assessments_id_fk" FOREIGN KEY ("source_assessment_id") REFERENCES "public"."assessments"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "needs" ADD CONSTRAINT "needs_identified_by_users_id_fk" FOREIGN KEY ("identified_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "needs" ADD CONSTRAINT "needs_status_changed_by_users_id_fk" FOREIGN KEY ("status_changed_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_alarms_once_idx" ON "assessment_alarms" USING btree ("root_assessment_id","code");--> statement-breakpoint
CREATE INDEX "assessment_alarms_patient_idx" ON "assessment_alarms" USING btree ("patient_id");--> statement-breakpoint
CREATE UNIQUE INDEX "assessment_handoffs_token_idx" ON "assessment_handoffs" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "assessment_handoffs_assessment_idx" ON "assessment_handoffs" USING btree ("assessment_id");--> statement-breakpoint
CREATE INDEX "assessments_patient_idx" ON "assessments" USING btree ("patient_id","started_at");--> statement-breakpoint
CREATE INDEX "assessments_trend_idx" ON "assessments" USING btree ("patient_id","instrument_id","completed_at") WHERE "assessments"."status" = 'completed' and "assessments"."superseded_by_id" is null;--> statement-breakpoint
CREATE INDEX "assessments_coverage_idx" ON "assessments" USING btree ("organization_id","completed_at") WHERE "assessments"."status" in ('completed', 'declined') and "assessments"."superseded_by_id" is null;--> statement-breakpoint
CREATE UNIQUE INDEX "assessments_amends_idx" ON "assessments" USING btree ("amends_id");--> statement-breakpoint
CREATE INDEX "observations_patient_code_idx" ON "observations" USING btree ("patient_id","code","effective_at");--> statement-breakpoint
CREATE INDEX "observations_assessment_idx" ON "observations" USING btree ("assessment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "need_findings_once_idx" ON "need_findings" USING btree ("need_id","assessment_id");--> statement-breakpoint
CREATE INDEX "need_findings_assessment_idx" ON "need_findings" USING btree ("assessment_id");--> statement-breakpoint
CREATE UNIQUE INDEX "need_links_once_idx" ON "need_links" USING btree ("need_id","kind","target_id");--> statement-breakpoint
CREATE INDEX "need_links_target_idx" ON "need_links" USING btree ("kind","target_id");--> statement-breakpoint
CREATE INDEX "need_transitions_need_idx" ON "need_transitions" USING btree ("need_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "needs_open_once_idx" ON "needs" USING btree ("patient_id","domain") WHERE "needs"."status" in ('identified', 'being-addressed');--> statement-breakpoint
CREATE INDEX "needs_patient_open_idx" ON "needs" USING btree ("patient_id") WHERE "needs"."status" in ('identified', 'being-addressed');--> statement-breakpoint
CREATE INDEX "needs_patient_idx" ON "needs" USING btree ("patient_id","identified_at");--> statement-breakpoint
CREATE INDEX "encounters_inpatient_admitted_idx" ON "encounters" USING btree ("organization_id","admitted_at") WHERE "encounters"."encounter_class" = 'inpatient';