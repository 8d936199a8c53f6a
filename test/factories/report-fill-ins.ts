/** 二、主动公开政府信息情况: the table an office fills in for its annual report (the figures of a scripted year). */
export const PROACTIVE_FILL_INS = {
  regulationsIssued: 0,
  regulationsRepealed: 0,
  regulationsInForce: 0,
  normativeDocumentsIssued: 3,
  normativeDocumentsRepealed: 1,
  normativeDocumentsInForce: 27,
  licensingDecisions: 1520,
  penaltyDecisions: 86,
  enforcementDecisions: 4,
  administrativeFeesTenThousandYuan: 12.5,
};
