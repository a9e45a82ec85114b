package main

import (
	"context"
	"fmt"
	"path/filepath"
	"slices"
)

// peerFactory is another GraphQL server the harness runs side by side with
// grappe on the same database.
type peerFactory struct {
	// Start starts the server on port against the database at dbURL and
	// returns its GraphQL endpoint (a full URL) and how to stop it.
	Start func(ctx context.Context, dbURL string, port int) (endpoint string, stop func() error, err error)
	// Scenarios are the scenarios the server can express, by name.
	Scenarios func() map[string]PeerScenario
}

// peers are the servers the -peer flag may name.
var peers = map[string]peerFactory{
	"postgraphile": {Start: startPostGraphileHere, Scenarios: postgraphileScenarios},
}

// startPostGraphileHere starts PostGraphile from bench/postgraphile of the
// module this command runs in.
func startPostGraphileHere(ctx context.Context, dbURL string, port int) (string, func() error, error) {
	root, err := moduleRoot()
	if err != nil {
		return "", nil, err
	}
	return startPostGraphile(ctx, filepath.Join(root, "bench", "postgraphile"), dbURL, port)
}

// registerPeer makes a peer available to the -peer flag (tests register
// stand-ins).
func registerPeer(name string, p peerFactory) {
	if _, dup := peers[name]; dup {
		panic(fmt.Sprintf("bench: peer %q registered twice", name))
	}
	peers[name] = p
}

// peerNames returns the registered peers, sorted.
func peerNames() []string {
	var names []string
	for n := range peers {
		names = append(names, n)
	}
	slices.Sort(names)
	return names
}
