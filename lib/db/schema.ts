// Tables arrive with the data-layer issue; the platform only needs a database to ping.
export {};
