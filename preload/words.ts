/**
 * Gaia's enum values in people's words, written once for every place that shows them:
 * the Ask page's sources, the Datasets page and the Markdown export. "kGenericNas" is
 * what the API says; "Generic NAS" is what a person reads. Values not listed here lose
 * their "k" prefix and are split at case changes ("kHyperVVss" → "Hyper V Vss").
 */

const KNOWN: Record<string, string> = {
  GenericNas: 'Generic NAS',
  Nas: 'NAS',
  NetApp: 'NetApp',
  Isilon: 'Dell Isilon',
  Flashblade: 'Pure FlashBlade',
  Elastifile: 'Elastifile',
  Gpfs: 'IBM Spectrum Scale',
  O365: 'Microsoft 365',
  O365Exchange: 'Microsoft 365 Exchange',
  O365OneDrive: 'Microsoft 365 OneDrive',
  O365Sharepoint: 'Microsoft 365 SharePoint',
  O365Teams: 'Microsoft 365 Teams',
  O365Group: 'Microsoft 365 Groups',
  Office365: 'Microsoft 365',
  Exchange: 'Microsoft Exchange',
  SharePoint: 'SharePoint',
  Sharepoint: 'SharePoint',
  OneDrive: 'OneDrive',
  VMware: 'VMware',
  HyperV: 'Hyper-V',
  HyperVVss: 'Hyper-V (VSS)',
  Physical: 'Physical server',
  PhysicalFiles: 'Physical server files',
  View: 'Cohesity View',
  Sql: 'Microsoft SQL Server',
  Oracle: 'Oracle',
  AWS: 'Amazon Web Services',
  AwsS3: 'Amazon S3',
  S3: 'Amazon S3',
  Azure: 'Microsoft Azure',
  AzureOpenAI: 'Azure OpenAI',
  GCP: 'Google Cloud',
  Kubernetes: 'Kubernetes',
  Salesforce: 'Salesforce',
  GoogleWorkspace: 'Google Workspace',
  Box: 'Box',
  Dropbox: 'Dropbox',
};

/** One of Gaia's enum values ("kGenericNas", "kO365") in words; null for nothing. */
export function gaiaWords(value: string | null | undefined): string | null {
  if (value === null || value === undefined) return null;
  const trimmed = value.trim();
  if (!trimmed) return null;
  const bare = trimmed.replace(/^k(?=[A-Z0-9])/, '');
  return KNOWN[bare] ?? bare.replace(/([a-z0-9])([A-Z])/g, '$1 $2').replace(/_/g, ' ');
}

/**
 * A relevance score (Gaia's cosine score, 0…1) on the one scale the app shows: a whole
 * percentage, as Gaia's own answers write it ("67%").
 */
export function relevance(score: number): string {
  return `${Math.round(Math.max(0, Math.min(1, score)) * 100)}%`;
}
