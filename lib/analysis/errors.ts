/** Why a file cannot be analysed at all. Deterministic: the same bytes always fail the same way. */
export type InputErrorCode =
  | 'EMPTY_FILE'
  | 'FILE_TOO_LARGE'
  | 'SPREADSHEET_NOT_CSV'
  | 'BINARY_FILE'
  | 'NOT_TABULAR'
  | 'TOO_MANY_COLUMNS'
  | 'TOO_MANY_ROWS'
  | 'NO_USABLE_COLUMNS';

export class AnalysisInputError extends Error {
  override readonly name = 'AnalysisInputError';
  constructor(
    readonly code: InputErrorCode,
    message: string,
  ) {
    super(message);
  }
}
