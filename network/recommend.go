package network

// Common is a partner two members share, with its own degree.
type Common struct {
	Member int64
	Degree int
}

// CommonPartners returns the partners of member id (its neighbours, by id)
// and, for every member two hops away that is not already a partner, the
// partners it shares with id (by id), each with its degree: what the
// Adamic–Adar index reads. It returns false when the member is not in the
// graph. The work is the sum of the partners' degrees.
func (s *Snapshot) CommonPartners(id int64) (partners []int64, common map[int64][]Common, ok bool) {
	i, ok := s.index(id)
	if !ok {
		return nil, nil, false
	}
	b := s.scratch.Get().(*bfsScratch)
	defer s.scratch.Put(b)
	b.begin()
	g := b.gen
	b.stampF[i] = g
	near := s.neighbours(i)
	partners = make([]int64, len(near))
	for k, z := range near {
		b.stampF[z] = g
		partners[k] = s.ids[z]
	}
	common = map[int64][]Common{}
	for _, z := range near { // by id: every list comes out sorted
		c := Common{Member: s.ids[z], Degree: s.degree(z)}
		for _, v := range s.neighbours(z) {
			if b.stampF[v] != g {
				common[s.ids[v]] = append(common[s.ids[v]], c)
			}
		}
	}
	return partners, common, true
}
