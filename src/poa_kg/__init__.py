"""poa-kg: a knowledge graph of the UN Programme of Action on small arms and light weapons."""
