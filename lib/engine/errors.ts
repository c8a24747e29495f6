/**
 * Why a file cannot be analysed at all. Deterministic: the same bytes (and mapping) always fail the same
 * way.
 */
export type InputErrorCode =
  | 'EMPTY_FILE'
  | 'FILE_TOO_LARGE'
  | 'SPREADSHEET_NOT_CSV'
  | 'BINARY_FILE'
  | 'NOT_TABULAR'
  | 'TOO_MANY_COLUMNS'
  | 'TOO_MANY_ROWS'
  | 'NO_USABLE_COLUMNS'
  | 'MAPPING_UNKNOWN_COLUMN'
  | 'MAPPING_CONFLICT'
  | 'INVALID_OPTIONS'
  /** A workbook whose ZIP or XML does not read (damaged, cut off). */
  | 'WORKBOOK_UNREADABLE'
  /** A workbook that unpacks beyond the bound (a zip bomb, or simply too much). */
  | 'WORKBOOK_TOO_LARGE'
  | 'WORKBOOK_SHEET_NOT_FOUND';

export class AnalysisInputError extends Error {
  override readonly name = 'AnalysisInputError';
  constructor(
    readonly code: InputErrorCode,
    message: string,
  ) {
    super(message);
  }
}
