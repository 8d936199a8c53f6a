// The fixed vocabularies of an application (rules.md §1, api.md): the codes, read from the one vocabulary module
// (@desk/vocabulary), which also holds their Chinese labels.
import {
  ACTOR_ROLE_TERMS,
  APPLICANT_CATEGORY_TERMS,
  CHANNEL_TERMS,
  codesOf,
  CONSULTATION_ANSWER_TERMS,
  CONSULTATION_KIND_TERMS,
  DELIVERY_FORM_TERMS,
  EXCESSIVE_FINDING_TERMS,
  ROLE_TERMS,
  SERVICE_METHOD_TERMS,
  SYSTEM_ROLE_TERM,
} from '@desk/vocabulary';

export type IsoDate = string;

/** rules.md §1: how the application reached the office; it decides the receipt date (Art. 31). */
export const CHANNELS = codesOf(CHANNEL_TERMS);
export type Channel = (typeof CHANNEL_TERMS)[number]['code'];

export const APPLICANT_CATEGORIES = codesOf(APPLICANT_CATEGORY_TERMS);
export type ApplicantCategory = (typeof APPLICANT_CATEGORY_TERMS)[number]['code'];

/** Art. 29 ¶2(3), Art. 40: the form in which the applicant wants the information. */
export const DELIVERY_FORMS = codesOf(DELIVERY_FORM_TERMS);
export type DeliveryForm = (typeof DELIVERY_FORM_TERMS)[number]['code'];

export const ROLES = codesOf(ROLE_TERMS);
export type Role = (typeof ROLE_TERMS)[number]['code'];

/** The scheduler and other automatic steps act as this pseudo-role; no user holds it. */
export const SYSTEM_ROLE = SYSTEM_ROLE_TERM.code;
export type ActorRole = (typeof ACTOR_ROLE_TERMS)[number]['code'];

export const CONSULTATION_KINDS = codesOf(CONSULTATION_KIND_TERMS);
export type ConsultationKind = (typeof CONSULTATION_KIND_TERMS)[number]['code'];

export type ConsultationAnswer = (typeof CONSULTATION_ANSWER_TERMS)[number]['code'];
export type ExcessiveFinding = (typeof EXCESSIVE_FINDING_TERMS)[number]['code'];
export type ServiceMethod = (typeof SERVICE_METHOD_TERMS)[number]['code'];
