/** The service user permissions API v3 documents, one per kind of call. */
export type DevinPermission =
  | 'ManageOrgSessions'
  | 'ViewOrgSessions'
  | 'ImpersonateOrgSessions'
  | 'ViewOrgMembership'
  | 'UseDevinSessions'
  | 'ManageAccountPlaybooks';
