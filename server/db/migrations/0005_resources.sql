CREATE TABLE "referral_consents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"directory_organization_id" uuid NOT NULL,
	"shares" text[] NOT NULL,
	"method" text NOT NULL,
	"given_by" text NOT NULL,
	"given_at" timestamp with time zone NOT NULL,
	"expires_on" date NOT NULL,
	"recorded_by" uuid NOT NULL,
	"revoked_at" timestamp with time zone,
	"revoked_by" uuid,
	"revoked_reason" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "referral_events" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"referral_id" uuid NOT NULL,
	"from_status" text,
	"to_status" text NOT NULL,
	"reason" text,
	"note" text,
	"actor_kind" text NOT NULL,
	"actor_id" uuid,
	"at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "referral_links" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"referral_id" uuid NOT NULL,
	"token_hash" text NOT NULL,
	"sent_to" text NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"last_used_at" timestamp with time zone,
	"revoked_at" timestamp with time zone,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "referrals" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"patient_id" uuid NOT NULL,
	"need_id" uuid NOT NULL,
	"case_id" uuid,
	"service_id" uuid NOT NULL,
	"location_id" uuid,
	"directory_organization_id" uuid NOT NULL,
	"consent_id" uuid,
	"status" text NOT NULL,
	"status_reason" text,
	"priority" text DEFAULT 'routine' NOT NULL,
	"note" text,
	"contact_preferences" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"outcome" jsonb,
	"requested_by" uuid NOT NULL,
	"requested_at" timestamp with time zone,
	"status_changed_at" timestamp with time zone NOT NULL,
	"stalled_task_id" uuid,
	"version" integer DEFAULT 1 NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "directory_addresses" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"location_id" uuid NOT NULL,
	"attention" text,
	"address_1" text NOT NULL,
	"address_2" text,
	"city" text NOT NULL,
	"region" text,
	"state_province" text NOT NULL,
	"postal_code" text NOT NULL,
	"country" text NOT NULL,
	"address_type" text NOT NULL
);
--> statement-breakpoint
CREATE TABLE "directory_attributes" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"link_external_id" text NOT NULL,
	"link_entity" text NOT NULL,
	"link_type" text,
	"taxonomy_term_id" uuid NOT NULL,
	"value" text,
	"label" text
);
--> statement-breakpoint
CREATE TABLE "directory_cost_options" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"service_id" uuid NOT NULL,
	"valid_from" date,
	"valid_to" date,
	"option" text,
	"currency" text,
	"amount" numeric,
	"amount_description" text
);
--> statement-breakpoint
CREATE TABLE "directory_imports" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"source" text NOT NULL,
	"format" text NOT NULL,
	"path" text NOT NULL,
	"counts" jsonb NOT NULL,
	"rejected" jsonb NOT NULL,
	"started_at" timestamp with time zone NOT NULL,
	"finished_at" timestamp with time zone NOT NULL,
	"imported_by" uuid
);
--> statement-breakpoint
CREATE TABLE "directory_languages" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"service_id" uuid,
	"location_id" uuid,
	"phone_id" uuid,
	"name" text,
	"code" text,
	"note" text
);
--> statement-breakpoint
CREATE TABLE "directory_locations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"directory_organization_id" uuid,
	"location_type" text DEFAULT 'physical' NOT NULL,
	"url" text,
	"name" text,
	"alternate_name" text,
	"description" text,
	"transportation" text,
	"latitude" double precision,
	"longitude" double precision,
	"external_identifier" text,
	"external_identifier_type" text,
	"time_zone" text
);
--> statement-breakpoint
CREATE TABLE "directory_organizations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"name" text NOT NULL,
	"alternate_name" text,
	"description" text,
	"email" text,
	"website" text,
	"tax_status" text,
	"tax_id" text,
	"year_incorporated" integer,
	"legal_status" text,
	"logo" text,
	"uri" text,
	"parent_organization_id" uuid,
	"referral_email" text,
	"version" integer DEFAULT 1 NOT NULL
);
--> statement-breakpoint
CREATE TABLE "directory_other_records" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"kind" text NOT NULL,
	"data" jsonb NOT NULL
);
--> statement-breakpoint
CREATE TABLE "directory_partner_members" (
	"organization_id" uuid NOT NULL,
	"user_id" uuid NOT NULL,
	"directory_organization_id" uuid NOT NULL,
	"added_at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "directory_partner_members_user_id_directory_organization_id_pk" PRIMARY KEY("user_id","directory_organization_id")
);
--> statement-breakpoint
CREATE TABLE "directory_phones" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"directory_organization_id" uuid,
	"service_id" uuid,
	"location_id" uuid,
	"service_at_location_id" uuid,
	"contact_external_id" text,
	"number" text NOT NULL,
	"extension" text,
	"type" text,
	"description" text
);
--> statement-breakpoint
CREATE TABLE "directory_programs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"directory_organization_id" uuid NOT NULL,
	"name" text NOT NULL,
	"alternate_name" text,
	"description" text
);
--> statement-breakpoint
CREATE TABLE "directory_required_documents" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"service_id" uuid NOT NULL,
	"document" text NOT NULL,
	"uri" text
);
--> statement-breakpoint
CREATE TABLE "directory_schedules" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"service_id" uuid,
	"location_id" uuid,
	"service_at_location_id" uuid,
	"valid_from" date,
	"valid_to" date,
	"dtstart" date,
	"timezone" numeric,
	"until" date,
	"count" integer,
	"wkst" text,
	"freq" text,
	"interval" integer,
	"byday" text,
	"byweekno" text,
	"bymonthday" text,
	"byyearday" text,
	"description" text,
	"opens_at" text,
	"closes_at" text,
	"schedule_link" text,
	"attending_type" text,
	"notes" text
);
--> statement-breakpoint
CREATE TABLE "directory_search_docs" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"service_id" uuid NOT NULL,
	"location_id" uuid,
	"service_at_location_id" uuid,
	"directory_organization_id" uuid NOT NULL,
	"status" text NOT NULL,
	"public" boolean NOT NULL,
	"domains" text[] NOT NULL,
	"taxonomy_codes" text[] NOT NULL,
	"languages" text[] NOT NULL,
	"latitude" double precision,
	"longitude" double precision,
	"postal_code" text,
	"time_zone" text NOT NULL,
	"open_hours" int4multirange,
	"cost" text NOT NULL,
	"assistance_kind" text,
	"minimum_age" numeric,
	"maximum_age" numeric,
	"max_poverty_percent" integer,
	"eligible_payers" text[],
	"eligible_postal_codes" text[],
	"document" tsvector NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
CREATE TABLE "directory_search_lexicon" (
	"organization_id" uuid NOT NULL,
	"term" text NOT NULL,
	"doc_count" integer NOT NULL,
	CONSTRAINT "directory_search_lexicon_organization_id_term_pk" PRIMARY KEY("organization_id","term")
);
--> statement-breakpoint
CREATE TABLE "directory_search_terms" (
	"organization_id" uuid NOT NULL,
	"term" text NOT NULL,
	"doc_id" uuid NOT NULL,
	"weight" real NOT NULL,
	CONSTRAINT "directory_search_terms_doc_id_term_pk" PRIMARY KEY("doc_id","term")
);
--> statement-breakpoint
CREATE TABLE "directory_service_areas" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"service_id" uuid,
	"service_at_location_id" uuid,
	"name" text,
	"description" text,
	"extent" text,
	"extent_type" text,
	"uri" text
);
--> statement-breakpoint
CREATE TABLE "directory_service_at_locations" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"service_id" uuid NOT NULL,
	"location_id" uuid NOT NULL,
	"description" text
);
--> statement-breakpoint
CREATE TABLE "directory_services" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"directory_organization_id" uuid NOT NULL,
	"program_id" uuid,
	"name" text NOT NULL,
	"alternate_name" text,
	"description" text,
	"url" text,
	"email" text,
	"status" text NOT NULL,
	"interpretation_services" text,
	"application_process" text,
	"fees_description" text,
	"wait_time" text,
	"accreditations" text,
	"eligibility_description" text,
	"minimum_age" numeric,
	"maximum_age" numeric,
	"assured_date" date,
	"assurer_email" text,
	"licenses" text,
	"alert" text,
	"last_modified" timestamp with time zone,
	"domains" text[] DEFAULT '{}'::text[] NOT NULL,
	"assistance_kind" text,
	"eligibility" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"public" boolean DEFAULT true NOT NULL,
	"version" integer DEFAULT 1 NOT NULL,
	"updated_by" uuid
);
--> statement-breakpoint
CREATE TABLE "directory_taxonomies" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"name" text NOT NULL,
	"description" text,
	"uri" text,
	"version" text
);
--> statement-breakpoint
CREATE TABLE "directory_taxonomy_terms" (
	"id" uuid PRIMARY KEY NOT NULL,
	"organization_id" uuid NOT NULL,
	"source" text NOT NULL,
	"external_id" text NOT NULL,
	"extra" jsonb DEFAULT '{}'::jsonb NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL,
	"updated_at" timestamp with time zone DEFAULT now() NOT NULL,
	"code" text,
	"name" text NOT NULL,
	"description" text,
	"parent_external_id" text,
	"taxonomy" text,
	"taxonomy_id" uuid,
	"language" text,
	"term_uri" text
);
--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "household_size" integer;--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "household_income" integer;--> statement-breakpoint
ALTER TABLE "patients" ADD COLUMN "household_recorded_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "organizations" ADD COLUMN "referral_stall_days" integer DEFAULT 7 NOT NULL;--> statement-breakpoint
ALTER TABLE "referral_consents" ADD CONSTRAINT "referral_consents_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_consents" ADD CONSTRAINT "referral_consents_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_consents" ADD CONSTRAINT "referral_consents_directory_organization_id_directory_organizations_id_fk" FOREIGN KEY ("directory_organization_id") REFERENCES "public"."directory_organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_consents" ADD CONSTRAINT "referral_consents_recorded_by_users_id_fk" FOREIGN KEY ("recorded_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_consents" ADD CONSTRAINT "referral_consents_revoked_by_users_id_fk" FOREIGN KEY ("revoked_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_events" ADD CONSTRAINT "referral_events_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_events" ADD CONSTRAINT "referral_events_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_events" ADD CONSTRAINT "referral_events_actor_id_users_id_fk" FOREIGN KEY ("actor_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_links" ADD CONSTRAINT "referral_links_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referral_links" ADD CONSTRAINT "referral_links_referral_id_referrals_id_fk" FOREIGN KEY ("referral_id") REFERENCES "public"."referrals"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_patient_id_patients_id_fk" FOREIGN KEY ("patient_id") REFERENCES "public"."patients"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_need_id_needs_id_fk" FOREIGN KEY ("need_id") REFERENCES "public"."needs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_case_id_cases_id_fk" FOREIGN KEY ("case_id") REFERENCES "public"."cases"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_service_id_directory_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."directory_services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_location_id_directory_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."directory_locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_directory_organization_id_directory_organizations_id_fk" FOREIGN KEY ("directory_organization_id") REFERENCES "public"."directory_organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_consent_id_referral_consents_id_fk" FOREIGN KEY ("consent_id") REFERENCES "public"."referral_consents"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_requested_by_users_id_fk" FOREIGN KEY ("requested_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "referrals" ADD CONSTRAINT "referrals_stalled_task_id_tasks_id_fk" FOREIGN KEY ("stalled_task_id") REFERENCES "public"."tasks"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_addresses" ADD CONSTRAINT "directory_addresses_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_addresses" ADD CONSTRAINT "directory_addresses_location_id_directory_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."directory_locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_attributes" ADD CONSTRAINT "directory_attributes_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_attributes" ADD CONSTRAINT "directory_attributes_taxonomy_term_id_directory_taxonomy_terms_id_fk" FOREIGN KEY ("taxonomy_term_id") REFERENCES "public"."directory_taxonomy_terms"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_cost_options" ADD CONSTRAINT "directory_cost_options_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_cost_options" ADD CONSTRAINT "directory_cost_options_service_id_directory_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."directory_services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_imports" ADD CONSTRAINT "directory_imports_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_imports" ADD CONSTRAINT "directory_imports_imported_by_users_id_fk" FOREIGN KEY ("imported_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_languages" ADD CONSTRAINT "directory_languages_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_languages" ADD CONSTRAINT "directory_languages_service_id_directory_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."directory_services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_languages" ADD CONSTRAINT "directory_languages_location_id_directory_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."directory_locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_languages" ADD CONSTRAINT "directory_languages_phone_id_directory_phones_id_fk" FOREIGN KEY ("phone_id") REFERENCES "public"."directory_phones"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_locations" ADD CONSTRAINT "directory_locations_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_locations" ADD CONSTRAINT "directory_locations_directory_organization_id_directory_organizations_id_fk" FOREIGN KEY ("directory_organization_id") REFERENCES "public"."directory_organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_organizations" ADD CONSTRAINT "directory_organizations_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_other_records" ADD CONSTRAINT "directory_other_records_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_partner_members" ADD CONSTRAINT "directory_partner_members_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_partner_members" ADD CONSTRAINT "directory_partner_members_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_partner_members" ADD CONSTRAINT "directory_partner_members_directory_organization_id_directory_organizations_id_fk" FOREIGN KEY ("directory_organization_id") REFERENCES "public"."directory_organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_phones" ADD CONSTRAINT "directory_phones_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_phones" ADD CONSTRAINT "directory_phones_directory_organization_id_directory_organizations_id_fk" FOREIGN KEY ("directory_organization_id") REFERENCES "public"."directory_organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_phones" ADD CONSTRAINT "directory_phones_service_id_directory_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."directory_services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_phones" ADD CONSTRAINT "directory_phones_location_id_directory_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."directory_locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_phones" ADD CONSTRAINT "directory_phones_service_at_location_id_directory_service_at_locations_id_fk" FOREIGN KEY ("service_at_location_id") REFERENCES "public"."directory_service_at_locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_programs" ADD CONSTRAINT "directory_programs_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_programs" ADD CONSTRAINT "directory_programs_directory_organization_id_directory_organizations_id_fk" FOREIGN KEY ("directory_organization_id") REFERENCES "public"."directory_organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_required_documents" ADD CONSTRAINT "directory_required_documents_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_required_documents" ADD CONSTRAINT "directory_required_documents_service_id_directory_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."directory_services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_schedules" ADD CONSTRAINT "directory_schedules_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_schedules" ADD CONSTRAINT "directory_schedules_service_id_directory_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."directory_services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_schedules" ADD CONSTRAINT "directory_schedules_location_id_directory_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."directory_locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_schedules" ADD CONSTRAINT "directory_schedules_service_at_location_id_directory_service_at_locations_id_fk" FOREIGN KEY ("service_at_location_id") REFERENCES "public"."directory_service_at_locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_search_docs" ADD CONSTRAINT "directory_search_docs_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_search_docs" ADD CONSTRAINT "directory_search_docs_service_id_directory_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."directory_services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_search_docs" ADD CONSTRAINT "directory_search_docs_location_id_directory_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."directory_locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_search_docs" ADD CONSTRAINT "directory_search_docs_service_at_location_id_directory_service_at_locations_id_fk" FOREIGN KEY ("service_at_location_id") REFERENCES "public"."directory_service_at_locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_search_docs" ADD CONSTRAINT "directory_search_docs_directory_organization_id_directory_organizations_id_fk" FOREIGN KEY ("directory_organization_id") REFERENCES "public"."directory_organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_search_lexicon" ADD CONSTRAINT "directory_search_lexicon_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_search_terms" ADD CONSTRAINT "directory_search_terms_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_search_terms" ADD CONSTRAINT "directory_search_terms_doc_id_directory_search_docs_id_fk" FOREIGN KEY ("doc_id") REFERENCES "public"."directory_search_docs"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_service_areas" ADD CONSTRAINT "directory_service_areas_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_service_areas" ADD CONSTRAINT "directory_service_areas_service_id_directory_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."directory_services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_service_areas" ADD CONSTRAINT "directory_service_areas_service_at_location_id_directory_service_at_locations_id_fk" FOREIGN KEY ("service_at_location_id") REFERENCES "public"."directory_service_at_locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_service_at_locations" ADD CONSTRAINT "directory_service_at_locations_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_service_at_locations" ADD CONSTRAINT "directory_service_at_locations_service_id_directory_services_id_fk" FOREIGN KEY ("service_id") REFERENCES "public"."directory_services"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_service_at_locations" ADD CONSTRAINT "directory_service_at_locations_location_id_directory_locations_id_fk" FOREIGN KEY ("location_id") REFERENCES "public"."directory_locations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_services" ADD CONSTRAINT "directory_services_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_services" ADD CONSTRAINT "directory_services_directory_organization_id_directory_organizations_id_fk" FOREIGN KEY ("directory_organization_id") REFERENCES "public"."directory_organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_services" ADD CONSTRAINT "directory_services_program_id_directory_programs_id_fk" FOREIGN KEY ("program_id") REFERENCES "public"."directory_programs"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_services" ADD CONSTRAINT "directory_services_updated_by_users_id_fk" FOREIGN KEY ("updated_by") REFERENCES "public"."users"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_taxonomies" ADD CONSTRAINT "directory_taxonomies_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_taxonomy_terms" ADD CONSTRAINT "directory_taxonomy_terms_organization_id_organizations_id_fk" FOREIGN KEY ("organization_id") REFERENCES "public"."organizations"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "directory_taxonomy_terms" ADD CONSTRAINT "directory_taxonomy_terms_taxonomy_id_directory_taxonomies_id_fk" FOREIGN KEY ("taxonomy_id") REFERENCES "public"."directory_taxonomies"("id") ON DELETE no action ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "referral_consents_patient_idx" ON "referral_consents" USING btree ("patient_id","directory_organization_id");--> statement-breakpoint
CREATE INDEX "referral_events_referral_idx" ON "referral_events" USING btree ("referral_id","at");--> statement-breakpoint
CREATE UNIQUE INDEX "referral_links_token_idx" ON "referral_links" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "referral_links_referral_idx" ON "referral_links" USING btree ("referral_id");--> statement-breakpoint
CREATE INDEX "referrals_patient_idx" ON "referrals" USING btree ("patient_id","created_at");--> statement-breakpoint
CREATE INDEX "referrals_need_idx" ON "referrals" USING btree ("need_id");--> statement-breakpoint
CREATE INDEX "referrals_partner_idx" ON "referrals" USING btree ("directory_organization_id","status");--> statement-breakpoint
CREATE INDEX "referrals_active_idx" ON "referrals" USING btree ("organization_id","status_changed_at") WHERE "referrals"."status" in ('requested', 'received', 'accepted', 'in-progress', 'on-hold');--> statement-breakpoint
CREATE UNIQUE INDEX "directory_addresses_source_idx" ON "directory_addresses" USING btree ("organization_id","source","external_id");--> statement-breakpoint
CREATE INDEX "directory_addresses_location_idx" ON "directory_addresses" USING btree ("location_id");--> statement-breakpoint
CREATE UNIQUE INDEX "directory_attributes_source_idx" ON "directory_attributes" USING btree ("organization_id","source","external_id");--> statement-breakpoint
CREATE INDEX "directory_attributes_link_idx" ON "directory_attributes" USING btree ("organization_id","source","link_entity","link_external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "directory_cost_options_source_idx" ON "directory_cost_options" USING btree ("organization_id","source","external_id");--> statement-breakpoint
CREATE INDEX "directory_cost_options_service_idx" ON "directory_cost_options" USING btree ("service_id");--> statement-breakpoint
CREATE UNIQUE INDEX "directory_languages_source_idx" ON "directory_languages" USING btree ("organization_id","source","external_id");--> statement-breakpoint
CREATE INDEX "directory_languages_service_idx" ON "directory_languages" USING btree ("service_id");--> statement-breakpoint
CREATE UNIQUE INDEX "directory_locations_source_idx" ON "directory_locations" USING btree ("organization_id","source","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "directory_organizations_source_idx" ON "directory_organizations" USING btree ("organization_id","source","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "directory_other_records_source_idx" ON "directory_other_records" USING btree ("organization_id","source","kind","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "directory_phones_source_idx" ON "directory_phones" USING btree ("organization_id","source","external_id");--> statement-breakpoint
CREATE INDEX "directory_phones_service_idx" ON "directory_phones" USING btree ("service_id");--> statement-breakpoint
CREATE INDEX "directory_phones_location_idx" ON "directory_phones" USING btree ("location_id");--> statement-breakpoint
CREATE UNIQUE INDEX "directory_programs_source_idx" ON "directory_programs" USING btree ("organization_id","source","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "directory_required_documents_source_idx" ON "directory_required_documents" USING btree ("organization_id","source","external_id");--> statement-breakpoint
CREATE INDEX "directory_required_documents_service_idx" ON "directory_required_documents" USING btree ("service_id");--> statement-breakpoint
CREATE UNIQUE INDEX "directory_schedules_source_idx" ON "directory_schedules" USING btree ("organization_id","source","external_id");--> statement-breakpoint
CREATE INDEX "directory_schedules_service_idx" ON "directory_schedules" USING btree ("service_id");--> statement-breakpoint
CREATE INDEX "directory_schedules_sal_idx" ON "directory_schedules" USING btree ("service_at_location_id");--> statement-breakpoint
CREATE INDEX "directory_search_docs_document_idx" ON "directory_search_docs" USING gin ("document");--> statement-breakpoint
CREATE INDEX "directory_search_docs_domains_idx" ON "directory_search_docs" USING gin ("domains");--> statement-breakpoint
CREATE INDEX "directory_search_docs_geo_idx" ON "directory_search_docs" USING btree ("organization_id","latitude","longitude");--> statement-breakpoint
CREATE INDEX "directory_search_docs_service_idx" ON "directory_search_docs" USING btree ("service_id");--> statement-breakpoint
CREATE INDEX "directory_search_lexicon_trgm_idx" ON "directory_search_lexicon" USING gin ("term" gin_trgm_ops);--> statement-breakpoint
CREATE INDEX "directory_search_terms_rank_idx" ON "directory_search_terms" USING btree ("organization_id","term","weight" DESC NULLS LAST,"doc_id");--> statement-breakpoint
CREATE UNIQUE INDEX "directory_service_areas_source_idx" ON "directory_service_areas" USING btree ("organization_id","source","external_id");--> statement-breakpoint
CREATE INDEX "directory_service_areas_service_idx" ON "directory_service_areas" USING btree ("service_id");--> statement-breakpoint
CREATE UNIQUE INDEX "directory_sal_source_idx" ON "directory_service_at_locations" USING btree ("organization_id","source","external_id");--> statement-breakpoint
CREATE INDEX "directory_sal_service_idx" ON "directory_service_at_locations" USING btree ("service_id");--> statement-breakpoint
CREATE INDEX "directory_sal_location_idx" ON "directory_service_at_locations" USING btree ("location_id");--> statement-breakpoint
CREATE UNIQUE INDEX "directory_services_source_idx" ON "directory_services" USING btree ("organization_id","source","external_id");--> statement-breakpoint
CREATE INDEX "directory_services_org_idx" ON "directory_services" USING btree ("directory_organization_id");--> statement-breakpoint
CREATE UNIQUE INDEX "directory_taxonomies_source_idx" ON "directory_taxonomies" USING btree ("organization_id","source","external_id");--> statement-breakpoint
CREATE UNIQUE INDEX "directory_taxonomy_terms_source_idx" ON "directory_taxonomy_terms" USING btree ("organization_id","source","external_id");--> statement-breakpoint
CREATE INDEX "directory_taxonomy_terms_code_idx" ON "directory_taxonomy_terms" USING btree ("organization_id","code");