# A cut-off contact value completed by something that is not a contact route.
# expect: Violation shapes:CompletedByShape-route sh:ClassConstraintComponent id:contact/kita-1-url
PREFIX schema: <https://schema.org/>
PREFIX seirei: <https://w3id.org/seirei/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX vocab: <https://w3id.org/seirei/vocab/>
PREFIX id: <https://w3id.org/seirei/id/>
DELETE DATA { <https://w3id.org/seirei/id/contact/kita-1-url> seirei:isTruncated false ; schema:url <http://kita.example.org/nihon> } ;
INSERT DATA { <https://w3id.org/seirei/id/contact/kita-1-url> seirei:isTruncated true ; seirei:completedBy <https://w3id.org/seirei/id/web-resource/kita-living> }
