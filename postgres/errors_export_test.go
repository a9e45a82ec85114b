package postgres

// MapError exposes mapError to the external tests.
var MapError = mapError
