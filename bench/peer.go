package main

import (
	"context"
	"fmt"
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

// peers are the servers the -peer flag may name, registered by their files.
var peers = map[string]peerFactory{}

// registerPeer makes a peer available to the -peer flag. It is called from
// the init function of the peer's file.
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
