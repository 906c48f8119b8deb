# cse:contrastsWith is symmetric: state both directions.
INSERT { ?b cse:contrastsWith ?a } WHERE { ?a cse:contrastsWith ?b }
