# A listing about a prefecture, not a city.
# expect: Violation shapes:ListingShape-city sh:ClassConstraintComponent id:listing/kita-1
PREFIX dcterms: <http://purl.org/dc/terms/>
DELETE { <https://w3id.org/seirei/id/listing/kita-1> dcterms:spatial <https://w3id.org/seirei/id/city/kita> }
INSERT { <https://w3id.org/seirei/id/listing/kita-1> dcterms:spatial <https://w3id.org/seirei/id/prefecture/minami> }
WHERE { <https://w3id.org/seirei/id/listing/kita-1> dcterms:spatial <https://w3id.org/seirei/id/city/kita> }
