# A city government whose website is unknown (warning layer).
# expect: Warning shapes:GovernmentWebsiteKnownShape-url sh:MinCountConstraintComponent id:government/kita
PREFIX schema: <https://schema.org/>
PREFIX seirei: <https://w3id.org/seirei/ontology#>
PREFIX prov: <http://www.w3.org/ns/prov#>
PREFIX vocab: <https://w3id.org/seirei/vocab/>
PREFIX id: <https://w3id.org/seirei/id/>
DELETE DATA { <https://w3id.org/seirei/id/government/kita> schema:url <https://www.city.kita.example.org/> }
