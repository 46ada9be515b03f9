// Hand-written until the ts-rs export in src-tauri replaces it; keep in step with
// dossier_core::SourceSummary.

/**
 * A source as listed: everything but its text.
 */
export type SourceSummary = {
  id: number;
  title: string;
  outlet: string | null;
  authors: Array<string>;
  /**
   * Publication date, `YYYY-MM-DD`.
   */
  published: string | null;
  url: string | null;
  lang: string | null;
  /**
   * RFC 3339, UTC.
   */
  captured_at: string;
  excerpt_count: number;
  tags: Array<string>;
};
