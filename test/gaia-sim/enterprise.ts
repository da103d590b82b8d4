/**
 * The catalog `npm run demo` shows: the datasets a mid-sized company would index with
 * Gaia — mailboxes, SharePoint sites, NAS shares, databases, VMs — with plausible sizes,
 * indexing windows over the last months, two still indexing and one with warnings. The
 * test catalogs (corpus.ts) stay as they are: the suites depend on their odd names.
 */
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { corpus, hex, HOUR_USECS, readDocs, unit, type Catalog, type CorpusDoc, type DatasetEntry } from './corpus';

const here = path.dirname(fileURLToPath(import.meta.url));

const QUESTIONS: Record<string, string[]> = {
  'board-report-2025-q2.md': ['What was revenue in Q2 FY2025?', 'Why did the operating margin fall?', 'What share buyback did the board approve?'],
  'hr-leave-policy-emea.md': ['How many days of annual leave do EMEA employees get?', 'When is a medical certificate required?', 'How many days a week can I work remotely?'],
  'vendor-msa-northwind.md': ['When does the Northwind agreement renew?', 'What service credit applies for late deliveries?', 'How much notice is needed to terminate for convenience?'],
  'eng-oncall-handbook.md': ['How fast must a page be acknowledged?', 'When is a postmortem required?', 'What is the escalation path for an incident?'],
  'support-tickets-q3-review.md': ['What were the top ticket categories in Q3?', 'What was the median first response time?', 'What actions are planned for Q4?'],
  'access-review-procedure.md': ['How often is user access reviewed?', 'What happens to accounts unused for 90 days?', 'How long is review evidence kept?'],
};

type Kind = 'exchange' | 'sharepoint' | 'onedrive' | 'teams' | 'nas' | 'isilon' | 'netapp' | 'vmware' | 'sql' | 'physical';

/** Gaia's environment words, a source name pattern and a plausible size range per kind. */
const KINDS: Record<Kind, { environment: string; objects: [number, number]; folder: (source: string) => string }> = {
  exchange: { environment: 'kO365Exchange', objects: [40_000, 1_800_000], folder: (s) => `/Exchange/${s}/Inbox` },
  sharepoint: { environment: 'kO365Sharepoint', objects: [2_000, 240_000], folder: (s) => `/sites/${s}/Shared Documents` },
  onedrive: { environment: 'kO365OneDrive', objects: [3_000, 90_000], folder: (s) => `/OneDrive/${s}/Documents` },
  teams: { environment: 'kO365Teams', objects: [5_000, 160_000], folder: (s) => `/Teams/${s}/General` },
  nas: { environment: 'kGenericNas', objects: [20_000, 900_000], folder: (s) => `/${s}` },
  isilon: { environment: 'kIsilon', objects: [100_000, 4_000_000], folder: (s) => `/ifs/${s}` },
  netapp: { environment: 'kNetapp', objects: [30_000, 1_200_000], folder: (s) => `/vol/${s}` },
  vmware: { environment: 'kVMware', objects: [8_000, 350_000], folder: (s) => `/${s}/var/lib` },
  sql: { environment: 'kSQL', objects: [200, 12_000], folder: (s) => `/${s}/exports` },
  physical: { environment: 'kPhysical', objects: [10_000, 600_000], folder: (s) => `/${s}/data` },
};

interface Spec {
  name: string;
  description?: string;
  docs: string[];
  kind: Kind;
  /** The protected object, as Cohesity names it. */
  source: string;
  indexing?: number;
  warnings?: number;
}

const SPECS: Spec[] = [
  // The demo opens Ask on these two (scripts/demo.ts).
  { name: 'Travel & Expenses', description: 'Travel, expense and per-diem policies with their approval rules.', docs: ['travel-policy.md'], kind: 'sharepoint', source: 'Finance-Policies' },
  { name: 'Finance Reports', description: 'Board packs, quarterly results and finance policies.', docs: ['board-report-2025-q2.md', 'quarterly-report-ja.md', 'travel-policy.md'], kind: 'sharepoint', source: 'Finance' },
  { name: 'Finance – Board Reports 2025', description: 'Quarterly board reports and pre-reads for FY2025.', docs: ['board-report-2025-q2.md'], kind: 'sharepoint', source: 'BoardOfDirectors' },
  { name: 'Finance – Quarterly Close FY2025', docs: ['board-report-2025-q2.md', 'quarterly-report-ja.md'], kind: 'nas', source: 'fs01.corp.contoso.com/finance' },
  { name: 'Finance – Accounts Payable', description: 'Vendor invoices and payment runs exported from the ERP database.', docs: ['vendor-msa-northwind.md', 'contract-acme.md'], kind: 'sql', source: 'sql-erp-01/AP_PROD' },
  { name: 'Data Warehouse – Finance Mart', docs: ['board-report-2025-q2.md'], kind: 'sql', source: 'sql-dwh-02/FINANCE_MART' },
  { name: 'Treasury Mailbox', docs: ['board-report-2025-q2.md'], kind: 'exchange', source: 'treasury@contoso.com' },
  { name: 'OneDrive – Finance Team', docs: ['board-report-2025-q2.md', 'travel-policy.md'], kind: 'onedrive', source: 'finance-team' },
  { name: '経理部 ファイルサーバー (Tokyo)', description: '東京オフィス経理部の共有フォルダ。', docs: ['quarterly-report-ja.md'], kind: 'nas', source: 'tyo-fs01.corp.contoso.com/keiri' },
  { name: 'HR Policies (EMEA)', description: 'Leave, working time and remote-work policies for EMEA employees.', docs: ['hr-leave-policy-emea.md', 'travel-policy.md'], kind: 'sharepoint', source: 'HR-EMEA' },
  { name: 'HR Policies (Americas)', docs: ['travel-policy.md', 'hr-leave-policy-emea.md'], kind: 'sharepoint', source: 'HR-Americas' },
  { name: 'HR – Employee Handbook 2025', description: 'The handbook every new joiner receives.', docs: ['hr-leave-policy-emea.md', 'travel-policy.md', 'access-review-procedure.md'], kind: 'sharepoint', source: 'HR-Handbook' },
  { name: 'HR Shared Mailbox', docs: ['hr-leave-policy-emea.md'], kind: 'exchange', source: 'hr@contoso.com', indexing: 62 },
  { name: 'Recruiting – Interview Kits', docs: ['hr-leave-policy-emea.md'], kind: 'onedrive', source: 'talent-acquisition' },
  { name: 'Legal Contracts – Vendors', description: 'Signed master services agreements, SOWs and amendments with suppliers.', docs: ['vendor-msa-northwind.md', 'contract-acme.md'], kind: 'netapp', source: 'legal_contracts/vendors' },
  { name: 'Legal Contracts – Customers', docs: ['contract-acme.md'], kind: 'netapp', source: 'legal_contracts/customers' },
  { name: 'Legal – Litigation Hold 2025', description: 'Mailboxes under legal hold for open matters.', docs: ['contract-acme.md', 'vendor-msa-northwind.md'], kind: 'exchange', source: 'legal-hold-2025' },
  { name: 'Legal – Board Minutes', docs: ['board-report-2025-q2.md'], kind: 'sharepoint', source: 'CorporateSecretary' },
  { name: 'OneDrive – Legal Team', docs: ['contract-acme.md', 'vendor-msa-northwind.md'], kind: 'onedrive', source: 'legal-team' },
  { name: 'Procurement – Purchase Orders', docs: ['vendor-msa-northwind.md'], kind: 'sql', source: 'sql-erp-01/PROCUREMENT' },
  { name: 'Engineering Wiki Snapshot', description: 'Nightly snapshot of the Confluence server: handbooks, designs, postmortems.', docs: ['eng-oncall-handbook.md', 'incident-2024-03.md', 'backup-retention.md'], kind: 'vmware', source: 'eng-confluence-01' },
  { name: 'Engineering – Incident Postmortems', description: 'Postmortems for Severity 1 and 2 incidents since 2023.', docs: ['incident-2024-03.md', 'eng-oncall-handbook.md'], kind: 'sharepoint', source: 'Engineering-Incidents', warnings: 37 },
  { name: 'Engineering – On-Call Handbook', docs: ['eng-oncall-handbook.md'], kind: 'sharepoint', source: 'Engineering' },
  { name: 'Jira Server (eng-jira-01)', docs: ['eng-oncall-handbook.md', 'incident-2024-03.md'], kind: 'vmware', source: 'eng-jira-01' },
  { name: 'Build Servers', docs: ['eng-oncall-handbook.md'], kind: 'physical', source: 'build-linux-03' },
  { name: 'IT Runbooks', description: 'Operational runbooks for infrastructure, backup and facilities systems.', docs: ['backup-retention.md', 'incident-2024-03.md', 'cafe-ops-runbook.md'], kind: 'nas', source: 'fs01.corp.contoso.com/it-ops' },
  { name: 'IT Service Desk Tickets', docs: ['support-tickets-q3-review.md', 'incident-2024-03.md'], kind: 'sql', source: 'sql-itsm-01/SERVICEDESK' },
  { name: 'Backup & Retention Standards', docs: ['backup-retention.md'], kind: 'sharepoint', source: 'IT-Standards' },
  { name: 'Security – Access Reviews', description: 'Quarterly user-access reviews and their sign-offs.', docs: ['access-review-procedure.md'], kind: 'sharepoint', source: 'Security' },
  { name: 'Security – Audit Evidence (SOX)', docs: ['access-review-procedure.md', 'backup-retention.md'], kind: 'isilon', source: 'audit/sox-2025' },
  { name: 'Compliance – Policies & Procedures', docs: ['access-review-procedure.md', 'backup-retention.md', 'travel-policy.md'], kind: 'sharepoint', source: 'Compliance' },
  { name: 'Customer Support Tickets Q3', description: 'Tickets, escalations and CSAT comments from July to September.', docs: ['support-tickets-q3-review.md', 'incident-2024-03.md'], kind: 'sql', source: 'sql-crm-01/SUPPORT_Q3' },
  { name: 'Customer Support Knowledge Base', docs: ['support-tickets-q3-review.md'], kind: 'sharepoint', source: 'Support-KB' },
  { name: 'Support Mailbox (support@)', docs: ['support-tickets-q3-review.md'], kind: 'exchange', source: 'support@contoso.com', indexing: 18 },
  { name: 'Customer Success – QBR Decks', docs: ['support-tickets-q3-review.md', 'board-report-2025-q2.md'], kind: 'onedrive', source: 'customer-success' },
  { name: 'Sales – EMEA Proposals', docs: ['contract-acme.md', 'vendor-msa-northwind.md'], kind: 'sharepoint', source: 'Sales-EMEA' },
  { name: 'Sales – APAC Pipeline Reviews', docs: ['quarterly-report-ja.md', 'board-report-2025-q2.md'], kind: 'onedrive', source: 'sales-apac' },
  { name: 'Sales Leadership Mailboxes', docs: ['board-report-2025-q2.md', 'contract-acme.md'], kind: 'exchange', source: 'sales-leadership' },
  { name: 'Executive Mailboxes', description: 'Mailboxes of the executive team.', docs: ['board-report-2025-q2.md', 'contract-acme.md'], kind: 'exchange', source: 'exec-team' },
  { name: 'Teams – Executive Staff', docs: ['board-report-2025-q2.md'], kind: 'teams', source: 'Executive Staff' },
  { name: 'Teams – Incident War Rooms', docs: ['incident-2024-03.md', 'eng-oncall-handbook.md'], kind: 'teams', source: 'Incident Response' },
  { name: 'Project Atlas – ERP Migration', description: 'Plans, vendor documents and steering-committee decks of the ERP migration.', docs: ['board-report-2025-q2.md', 'vendor-msa-northwind.md'], kind: 'sharepoint', source: 'Project-Atlas' },
  { name: 'Facilities – Office Café Operations', docs: ['cafe-ops-runbook.md'], kind: 'nas', source: 'fs02.corp.contoso.com/facilities' },
  { name: 'Facilities – Munich Office', docs: ['cafe-ops-runbook.md', 'travel-policy.md'], kind: 'nas', source: 'muc-fs01.corp.contoso.com/office' },
  { name: 'Tokyo Office 東京オフィス', docs: ['quarterly-report-ja.md', 'cafe-ops-runbook.md'], kind: 'nas', source: 'tyo-fs01.corp.contoso.com/office' },
  { name: 'Department Shares (fs01)', description: 'Home and department folders of the head office file server.', docs: ['travel-policy.md', 'hr-leave-policy-emea.md', 'cafe-ops-runbook.md'], kind: 'isilon', source: 'home/departments' },
  { name: 'Archive – Closed Projects 2019–2022', docs: ['incident-2024-03.md', 'contract-acme.md'], kind: 'isilon', source: 'archive/projects' },
];

const DAY_USECS = 24 * HOUR_USECS;

let docsCache: CorpusDoc[] | null = null;

/** The bundled documents plus the enterprise ones (corpus/enterprise/). */
export function enterpriseDocs(): CorpusDoc[] {
  docsCache ??= [...corpus(), ...readDocs(path.join(here, 'corpus', 'enterprise'), QUESTIONS)];
  return docsCache;
}

export function enterpriseCatalog(): Catalog {
  const byFile = new Map(enterpriseDocs().map((d) => [d.file, d]));
  const now = Date.now() * 1000;
  const entries = SPECS.map((s, index): DatasetEntry => {
    const r = unit(s.name);
    const r2 = unit(`${s.name}#`);
    const [lo, hi] = KINDS[s.kind].objects;
    // Last finished run within the past ten days; windows reach back one to six months.
    const end = now - Math.floor((2 + r * 230) * HOUR_USECS);
    return {
      index,
      id: hex(`enterprise:${s.name}`, 24),
      name: s.name,
      description: s.description ?? null,
      health: s.indexing !== undefined ? 'indexing' : s.warnings ? 'warning' : 'healthy',
      progress: s.indexing ?? null,
      docs: s.docs.map((f) => {
        const doc = byFile.get(f);
        if (!doc) throw new Error(`enterprise catalog: no document ${f}`);
        return doc;
      }),
      numObjects: Math.round(lo + (hi - lo) * r * r),
      numQueries: 3 + Math.floor(r2 * r2 * 2400),
      lastRunEndUsecs: end,
      sources: [{ name: s.source, environment: KINDS[s.kind].environment }],
      folder: KINDS[s.kind].folder(s.source),
      indexedFromUsecs: end - Math.floor((30 + r2 * 150) * DAY_USECS),
      lastRunStartUsecs: s.indexing !== undefined ? now - Math.floor((0.5 + r2 * 5) * HOUR_USECS) : end - Math.floor((0.3 + r * 4) * HOUR_USECS),
      ...(s.warnings ? { numErrors: s.warnings } : {}),
    };
  });
  const names = new Map(entries.map((e) => [e.name, e]));
  const ids = new Map(entries.map((e) => [e.id, e]));
  return { size: entries.length, at: (i) => entries[i], byName: (n) => names.get(n), byId: (id) => ids.get(id) };
}
