import type { Express } from 'express';
import { coverageExport } from './coverageExport';
import type { ExportOptions } from './exportRequest';
import { findingsExport } from './findingsExport';
import { reportExport } from './reportExport';
import { screeningExport } from './screeningExport';

export type { ExportOptions } from './exportRequest';

/** 导出 XLSX (office.md "Exports"): every table the office takes to a meeting. */
export function exportRoutes(app: Express, opts: ExportOptions): void {
  app.get('/api/exports/coverage.xlsx', coverageExport(opts));
  app.get('/api/exports/findings.xlsx', findingsExport(opts));
  app.get('/api/exports/screenings/:id.xlsx', screeningExport(opts, false));
  app.get('/api/exports/screenings/:id/approved.xlsx', screeningExport(opts, true));
  app.get('/api/exports/reports/:month.xlsx', reportExport(opts));
}
