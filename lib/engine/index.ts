export * from './analyze';
